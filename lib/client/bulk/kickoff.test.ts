import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import { oneuphealth } from '@/lib/providers/oneuphealth';
import { createBcdaSandbox } from '@/lib/sandbox/bcda';
import { getAccessToken, send as sendBcda } from '@/lib/sandbox/bcda/test-helpers';
import { createOneUpHealthSandbox } from '@/lib/sandbox/oneuphealth';
import { bearer, getKeycloakToken, send as sendOneUp } from '@/lib/sandbox/oneuphealth/test-helpers';
import { buildKickoffRequest, getBasesFor, toFhirInstant, type KickoffInput } from './kickoff';

const bcdaBulk = bcda.bulkExport!;
const oneUpBulk = oneuphealth.bulkExport!;
const NOW = Date.UTC(2026, 5, 1);

const input = (patch: Partial<KickoffInput> = {}): KickoffInput => ({
  baseId: 'v2',
  level: 'patient',
  groupId: 'all',
  types: [],
  since: '',
  outputFormat: '',
  ...patch,
});

function pathOf(result: ReturnType<typeof buildKickoffRequest>): string {
  if (!result.ok) throw new Error(result.message);
  return result.request.path;
}

describe('buildKickoffRequest', () => {
  it('builds a Patient kick-off with the headers the IG asks for', () => {
    const result = buildKickoffRequest(bcdaBulk, 'builtin', input(), NOW);
    expect(result).toEqual({
      ok: true,
      request: { path: '/api/v2/Patient/$export', headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' } },
    });
  });

  it('adds _type in the provider’s order, _since as a UTC instant and _outputFormat with + encoded', () => {
    const since = '2025-01-31T08:30';
    const path = pathOf(
      buildKickoffRequest(bcdaBulk, 'builtin', input({ types: ['ExplanationOfBenefit', 'Patient'], since, outputFormat: 'application/fhir+ndjson' }), NOW),
    );
    const instant = toFhirInstant(since);
    expect(path).toBe(`/api/v2/Patient/$export?_type=Patient,ExplanationOfBenefit&_since=${instant}&_outputFormat=application/fhir%2Bndjson`);
    expect(new URL(`http://x.test${path}`).searchParams.get('_outputFormat')).toBe('application/fhir+ndjson');
  });

  it('builds Group and system kick-offs', () => {
    expect(pathOf(buildKickoffRequest(bcdaBulk, 'builtin', input({ level: 'group', groupId: 'runout', baseId: 'v3' }), NOW))).toBe(
      '/api/v3/Group/runout/$export',
    );
    expect(pathOf(buildKickoffRequest(oneUpBulk, 'builtin', input({ baseId: 'bison', level: 'system' }), NOW))).toBe(
      '/v1/bison/bulk-export/bulk-data/r4/$export',
    );
  });

  it('names the field that is wrong', () => {
    const refuse = (patch: Partial<KickoffInput>, env = 'builtin') => {
      const result = buildKickoffRequest(bcdaBulk, env, input(patch), NOW);
      return result.ok ? null : result.field;
    };
    expect(refuse({ baseId: 'v4' })).toBe('baseId');
    expect(refuse({ baseId: 'v1' })).toBeNull();
    expect(refuse({ baseId: 'v1', types: ['Claim'] })).toBe('types'); // STU3 v1 has no Claim
    expect(refuse({ level: 'system' })).toBe('level');
    expect(refuse({ level: 'group', groupId: '' })).toBe('groupId');
    expect(refuse({ level: 'group', groupId: 'a/b' })).toBe('groupId');
    expect(refuse({ baseId: 'v3', types: ['Claim'] })).toBe('types');
    expect(refuse({ since: '2025-02-30T10:00' })).toBe('since');
    expect(refuse({ since: '2999-01-01T00:00' })).toBe('since');
    expect(refuse({ outputFormat: 'text/csv' })).toBe('outputFormat');
  });

  it('offers BCDA v1 (STU3) on the built-in sandbox as on the real hosts', () => {
    expect(getBasesFor(bcdaBulk, 'builtin').map((base) => base.id)).toEqual(['v2', 'v3', 'v1']);
    expect(getBasesFor(bcdaBulk, 'production').map((base) => base.id)).toEqual(['v2', 'v3', 'v1']);
  });
});

describe('toFhirInstant', () => {
  it('reads the browser’s local time and writes UTC without milliseconds', () => {
    const instant = toFhirInstant('2025-01-31T08:30:15');
    expect(instant).toMatch(/^2025-01-3[01]T\d{2}:30:15Z$/);
    expect(Date.parse(instant!)).toBe(new Date(2025, 0, 31, 8, 30, 15).getTime());
    expect(toFhirInstant('2025-01-31T08:30')).toMatch(/:30:00Z$/);
  });
  it('refuses what is not a real date and time', () => {
    expect(toFhirInstant('2025-13-01T00:00')).toBeNull();
    expect(toFhirInstant('2025-01-01')).toBeNull();
    expect(toFhirInstant('')).toBeNull();
  });
});

/** The provider files’ bulk capability must be true of the built-in sandboxes: every choice the form offers works. */
describe('the bulk capability matches the built-in sandboxes', () => {
  it('BCDA: every base, level, group and single _type answers 202', async () => {
    const sandbox = createBcdaSandbox();
    // A REACH model entity: Claim and ClaimResponse are allowed on v2.
    const token = await getAccessToken(sandbox, 'reach-extra-small');
    for (const base of getBasesFor(bcdaBulk, 'builtin')) {
      const choices: Partial<KickoffInput>[] = [
        ...base.levels.filter((level) => level !== 'group').map((level) => ({ level })),
        ...base.groups.map((group) => ({ level: 'group' as const, groupId: group.id })),
        ...base.resourceTypes.map((type) => ({ types: [type] })),
        ...bcdaBulk.outputFormats.map((outputFormat) => ({ outputFormat })),
        { since: '2024-01-01T00:00' },
      ];
      for (const choice of choices) {
        const built = buildKickoffRequest(bcdaBulk, 'builtin', input({ baseId: base.id, ...choice }));
        if (!built.ok) throw new Error(built.message);
        const response = await sendBcda(sandbox, built.request.path, {
          headers: { Authorization: `Bearer ${token}`, ...built.request.headers },
        });
        expect([built.request.path, response.status]).toEqual([built.request.path, 202]);
      }
    }
  });

  it('1upHealth: system and Group kick-offs with each _type answer 202, and DELETE is refused as declared', async () => {
    const sandbox = createOneUpHealthSandbox();
    const token = await getKeycloakToken(sandbox, 'provider-access');
    const [base] = getBasesFor(oneUpBulk, 'builtin');
    expect(base).toBeDefined();
    const choices: Partial<KickoffInput>[] = [
      { level: 'system' },
      { level: 'group', groupId: 'bison-provider-attributed' },
      ...base!.resourceTypes.map((type) => ({ level: 'system' as const, types: [type] })),
      ...oneUpBulk.outputFormats.map((outputFormat) => ({ level: 'system' as const, outputFormat })),
      { level: 'system', since: '2024-01-01T00:00' },
    ];
    let statusUrl = '';
    for (const choice of choices) {
      const built = buildKickoffRequest(oneUpBulk, 'builtin', input({ baseId: base!.id, ...choice }));
      if (!built.ok) throw new Error(built.message);
      const response = await sendOneUp(sandbox, built.request.path, { headers: bearer(token, built.request.headers) });
      expect([built.request.path, response.status]).toEqual([built.request.path, 202]);
      statusUrl = response.headers.get('content-location') ?? '';
    }
    expect(oneUpBulk.cancel.supported).toBe(false);
    const cancel = await sendOneUp(sandbox, new URL(statusUrl).pathname.slice('/sandbox/1uphealth'.length), {
      method: 'DELETE',
      headers: bearer(token),
    });
    expect(cancel.status).toBe(403);
  });
});
