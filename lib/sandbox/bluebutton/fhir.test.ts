import { describe, expect, it } from 'vitest';
import { bearer, createTestSandbox, getTokens, send, testBase, toSandboxPath } from './test-helpers';

interface Bundle {
  resourceType: string;
  type: string;
  total?: number;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ resource: { resourceType: string; id: string; patient?: { reference: string } } }>;
}

function link(bundle: Bundle, relation: string): string | undefined {
  return bundle.link.find((candidate) => candidate.relation === relation)?.url;
}

async function bundleAt(response: Response): Promise<Bundle> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/fhir+json');
  return (await response.json()) as Bundle;
}

describe('FHIR searches', () => {
  it('pages ExplanationOfBenefit 10 at a time with next links that reach every claim exactly once', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    let bundle = await bundleAt(await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', bearer(tokens.access_token)));
    // As at Blue Button: no `total` (paging goes by the links), `self` with the slash and the sorted query.
    expect(bundle).not.toHaveProperty('total');
    expect(link(bundle, 'self')).toBe(`${testBase}/v2/fhir/ExplanationOfBenefit/?_count=10&_format=application%2Fjson%2Bfhir&patient=${tokens.patient}&startIndex=0`);
    expect(link(bundle, 'first')).toBe(
      `${testBase}/v2/fhir/ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&startIndex=0&_count=10&patient=${tokens.patient}`,
    );
    expect(link(bundle, 'previous')).toBeUndefined();
    const ids: string[] = [];
    let pages = 0;
    for (;;) {
      pages += 1;
      expect(bundle.entry?.length).toBeLessThanOrEqual(10);
      for (const { resource } of bundle.entry ?? []) {
        expect(resource.resourceType).toBe('ExplanationOfBenefit');
        expect(resource.patient?.reference).toBe(`Patient/${tokens.patient}`);
        ids.push(resource.id);
      }
      const next = link(bundle, 'next');
      if (!next) break;
      bundle = await bundleAt(await send(sandbox, toSandboxPath(next), bearer(tokens.access_token)));
      expect(link(bundle, 'previous')).toBeDefined();
    }
    expect(pages).toBe(Math.ceil(ids.length / 10));
    expect(ids.length).toBeGreaterThanOrEqual(25);
    expect(ids.length).toBeLessThanOrEqual(60);
    expect(new Set(ids).size).toBe(ids.length);
    expect(link(bundle, 'last')).toContain(`startIndex=${(pages - 1) * 10}&_count=10`);
    expect(new Set(ids.map((id) => id.split('-')[0]))).toEqual(new Set(['carrier', 'inpatient', 'outpatient', 'pde']));
  });

  it('honours _count and startIndex, and filters by claim type', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const page = await bundleAt(await send(sandbox, '/v2/fhir/ExplanationOfBenefit/?_count=5&startIndex=5', bearer(tokens.access_token)));
    expect(page.entry).toHaveLength(5);
    expect(link(page, 'previous')).toContain('startIndex=0&_count=5');
    expect(link(page, 'next')).toContain('startIndex=10&_count=5');
    const pde = await bundleAt(await send(sandbox, '/v2/fhir/ExplanationOfBenefit?type=pde&_count=100', bearer(tokens.access_token)));
    expect(pde.entry?.every((entry) => entry.resource.id.startsWith('pde-'))).toBe(true);
    expect(link(pde, 'first')).toContain('&type=pde');
    const system = await bundleAt(
      await send(sandbox, `/v2/fhir/ExplanationOfBenefit?type=${encodeURIComponent('https://bluebutton.cms.gov/resources/codesystem/eob-type|pde')}&_count=100`, bearer(tokens.access_token)),
    );
    expect(system.entry?.map((entry) => entry.resource.id)).toEqual(pde.entry?.map((entry) => entry.resource.id));
  });

  it('returns one Patient and the Part A, B and D Coverage of the token’s beneficiary', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox, { username: 'BBUser00007', password: 'PW00007!' });
    expect(tokens.patient).toBe('-20140000000008');
    const patients = await bundleAt(await send(sandbox, '/v2/fhir/Patient/?_id=-20140000000001', bearer(tokens.access_token)));
    expect(patients.entry).toHaveLength(1);
    expect(patients.entry?.[0]?.resource.id).toBe('-20140000000008');
    const coverage = await bundleAt(await send(sandbox, '/v2/fhir/Coverage', bearer(tokens.access_token)));
    expect(coverage.entry?.map((entry) => entry.resource.id)).toEqual(['part-a--20140000000008', 'part-b--20140000000008', 'part-d--20140000000008']);
  });
});

describe('FHIR reads', () => {
  it('reads the beneficiary’s own resources by id', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    const search = await bundleAt(await send(sandbox, '/v2/fhir/ExplanationOfBenefit?_count=100', bearer(tokens.access_token)));
    for (const { resource } of search.entry?.slice(0, 8) ?? []) {
      const read = await send(sandbox, `/v2/fhir/ExplanationOfBenefit/${resource.id}`, bearer(tokens.access_token));
      expect(read.status).toBe(200);
      expect(await read.json()).toEqual(resource);
    }
    expect((await send(sandbox, `/v2/fhir/Patient/${tokens.patient}`, bearer(tokens.access_token))).status).toBe(200);
    expect((await send(sandbox, `/v2/fhir/Coverage/part-d-${tokens.patient}/`, bearer(tokens.access_token))).status).toBe(200);
  });

  it('answers 404 for someone else’s resources and 400 for ids BFD cannot parse', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    for (const path of ['/v2/fhir/Patient/-20140000000002', '/v2/fhir/Coverage/part-a--20140000000002', '/v2/fhir/ExplanationOfBenefit/carrier-12345678901']) {
      const response = await send(sandbox, path, bearer(tokens.access_token));
      expect(response.status, path).toBe(404);
      expect(await response.text()).toBe('{"detail":"Not found."}');
    }
    const malformed = await send(sandbox, `/v2/fhir/Coverage/part-d____-${tokens.patient}`, bearer(tokens.access_token));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing' }] });
    const unsupported = await send(sandbox, '/v2/fhir/Observation', bearer(tokens.access_token));
    expect(unsupported.status).toBe(404);
    expect(await unsupported.json()).toEqual({ detail: 'The requested resource type, Observation, is not supported' });
  });
});

describe('bearer authentication', () => {
  it.each([
    ['no Authorization header', undefined, 'Bearer realm="api"'],
    ['an unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'Bearer realm="api",error="invalid_token",error_description="The access token is invalid."'],
    ['Basic credentials', 'Basic abc', 'Bearer realm="api"'],
  ])('answers 401 for %s', async (_name, authorization, challenge) => {
    const { sandbox } = createTestSandbox();
    const response = await send(sandbox, '/v2/fhir/ExplanationOfBenefit/', authorization ? { headers: { Authorization: authorization } } : {});
    expect(response.status).toBe(401);
    expect(await response.text()).toBe('{"detail":"Authentication credentials were not provided."}');
    expect(response.headers.get('www-authenticate')).toBe(challenge);
  });

  it('takes the scheme in any case, as oauthlib does', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    expect((await send(sandbox, '/v2/fhir/Coverage', { headers: { Authorization: `bearer ${tokens.access_token}` } })).status).toBe(200);
  });

  it('refuses tokens of another sandbox instance', async () => {
    const tokens = await getTokens(createTestSandbox().sandbox);
    expect((await send(createTestSandbox().sandbox, '/v2/fhir/Coverage', bearer(tokens.access_token))).status).toBe(401);
  });

  it('answers 405 to writes', async () => {
    const { sandbox } = createTestSandbox();
    const tokens = await getTokens(sandbox);
    expect((await send(sandbox, '/v2/fhir/Patient', { method: 'POST', ...bearer(tokens.access_token) })).status).toBe(405);
  });
});
