import { describe, expect, it } from 'vitest';
import { bcda } from '@/lib/providers/bcda';
import { providers } from '@/lib/providers';
import { oneuphealth } from '@/lib/providers/oneuphealth';
import { formatHeaderLines } from '../headers';
import { checkKickoffHeaders, describeKickoffProblems, isKickoffPath, toKickoffPrefill, withKickoffHeaders } from './kickoff-headers';

const bcdaBulk = bcda.bulkExport!;

describe('isKickoffPath', () => {
  it.each([
    ['/api/v2/$export', true],
    ['/api/v2/Patient/$export', true],
    ['/api/v2/Group/all/$export?_type=Patient', true],
    ['/api/v2/Patient/%24export', true],
    [' /r4/$export#frag ', true],
    ['/api/v2/Patient/$export/more', false],
    ['/api/v2/Patient/$exporter', false],
    ['/api/v2/metadata?x=$export', false],
    ['$export', false],
  ])('%j → %s', (path, expected) => {
    expect(isKickoffPath(path)).toBe(expected);
  });
});

describe('checkKickoffHeaders', () => {
  it('finds a hand-typed kick-off without Prefer, at every level', () => {
    for (const path of ['/api/v2/$export', '/api/v2/Patient/$export', '/api/v2/Group/all/$export?_type=Coverage']) {
      expect(checkKickoffHeaders('GET', path, 'Accept: application/fhir+json')).toEqual({
        problems: ['has no Prefer header'],
        fixedHeadersText: 'Accept: application/fhir+json\nPrefer: respond-async',
        changes: 1,
      });
    }
  });

  it('finds a wrong Prefer and a wrong Accept, header names in any case', () => {
    expect(checkKickoffHeaders('GET', '/api/v2/Patient/$export', 'accept: application/json\nPREFER: return=minimal')).toEqual({
      problems: ['sends Prefer: return=minimal', 'sends Accept: application/json'],
      fixedHeadersText: 'Accept: application/fhir+json\nPrefer: respond-async',
      changes: 2,
    });
  });

  it('checks a POST kick-off too (Bulk Data IG 2.0 allows one)', () => {
    expect(checkKickoffHeaders('POST', '/api/v2/Patient/$export', '')?.problems).toEqual(['has no Prefer header']);
  });

  it('is quiet for every provider’s own kick-off examples', () => {
    const kickoffs = providers.flatMap((provider) => provider.defaultRequests.filter((request) => request.bulkExport));
    expect(kickoffs.length).toBeGreaterThan(5);
    for (const request of kickoffs) {
      expect(checkKickoffHeaders(request.method, request.path, formatHeaderLines(request.headers)), request.id).toBeNull();
    }
  });

  it('is quiet when the headers are right, when Accept is left to the server, and for other requests', () => {
    expect(checkKickoffHeaders('GET', '/api/v2/Patient/$export', 'Accept: application/fhir+json\nPrefer: respond-async')).toBeNull();
    expect(checkKickoffHeaders('GET', '/api/v2/Patient/$export', 'prefer: respond-async, handling=lenient')).toBeNull();
    expect(checkKickoffHeaders('GET', '/api/v2/Patient/$export', 'Accept: application/fhir+json;q=1, */*\nPrefer: Respond-Async')).toBeNull();
    expect(checkKickoffHeaders('GET', '/api/v2/metadata', '')).toBeNull();
    expect(checkKickoffHeaders('DELETE', '/api/v2/Patient/$export', '')).toBeNull();
  });
});

describe('withKickoffHeaders', () => {
  it('adds what is missing and keeps every other line where it is', () => {
    expect(withKickoffHeaders('')).toEqual({ fixedHeadersText: 'Accept: application/fhir+json\nPrefer: respond-async', changes: 2 });
    expect(withKickoffHeaders('X-Request-Id: 7\nAccept: application/fhir+json\n\n')).toEqual({
      fixedHeadersText: 'X-Request-Id: 7\nAccept: application/fhir+json\nPrefer: respond-async',
      changes: 1,
    });
  });

  it('replaces a wrong line in place and drops a second wrong one', () => {
    expect(withKickoffHeaders('Prefer: return=minimal\nX-Request-Id: 7\nprefer: wait=10\nAccept: application/fhir+json')).toEqual({
      fixedHeadersText: 'Prefer: respond-async\nX-Request-Id: 7\nAccept: application/fhir+json',
      changes: 2,
    });
  });
});

describe('describeKickoffProblems', () => {
  it('says what the request lacks', () => {
    expect(describeKickoffProblems(['has no Prefer header'])).toBe('This request has no Prefer header, so the server will refuse it.');
    expect(describeKickoffProblems(['sends Prefer: return=minimal', 'sends Accept: application/json'])).toBe(
      'This request sends Prefer: return=minimal and sends Accept: application/json, so the server will refuse it.',
    );
  });
});

describe('toKickoffPrefill', () => {
  it('reads the base, level, Group id and _type of a BCDA path', () => {
    expect(toKickoffPrefill('/api/v2/Patient/$export', bcdaBulk, 'builtin')).toEqual({ baseId: 'v2', level: 'patient', types: [] });
    expect(toKickoffPrefill('/api/v3/Group/runout/%24export?_type=Coverage,Nope&_type=Patient', bcdaBulk, 'builtin')).toEqual({
      baseId: 'v3',
      level: 'group',
      groupId: 'runout',
      types: ['Coverage', 'Patient'],
    });
  });

  it('keeps only the base when the level is not offered there, and gives null off every base', () => {
    expect(toKickoffPrefill('/api/v2/$export', bcdaBulk, 'builtin')).toEqual({ baseId: 'v2' });
    expect(toKickoffPrefill('/api/v2/Observation/$export', bcdaBulk, 'builtin')).toEqual({ baseId: 'v2' });
    expect(toKickoffPrefill('/api/v4/Patient/$export', bcdaBulk, 'builtin')).toBeNull();
    expect(toKickoffPrefill('/elsewhere/Patient/$export', bcdaBulk, 'builtin')).toBeNull();
  });

  it('survives a Group id that is not valid percent-encoding', () => {
    expect(toKickoffPrefill('/api/v2/Group/%E0%A4%A/$export', bcdaBulk, 'builtin')).toMatchObject({ level: 'group', groupId: '%E0%A4%A' });
  });

  it('reads a system-level path where the provider offers one (1upHealth)', () => {
    const capability = oneuphealth.bulkExport!;
    const base = capability.bases[0]!;
    expect(toKickoffPrefill(`${base.path}/$export?_type=Encounter`, capability, 'builtin')).toEqual({
      baseId: base.id,
      level: 'system',
      types: ['Encounter'],
    });
    expect(toKickoffPrefill(`${base.path}/Patient/$export`, capability, 'builtin')).toEqual({ baseId: base.id });
  });
});
