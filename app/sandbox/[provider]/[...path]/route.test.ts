import { afterEach, describe, expect, it, vi } from 'vitest';
import { oneuphealth } from '@/lib/providers/oneuphealth';
import { DELETE, GET, POST, PUT } from './route';

function context(provider: string, path: string[]) {
  return { params: Promise.resolve({ provider, path }) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('/sandbox/[provider]/[...path]', () => {
  it('dispatches to the BCDA sandbox', async () => {
    const response = await GET(new Request('http://localhost:3000/sandbox/bcda/api/v2/metadata'), context('bcda', ['api', 'v2', 'metadata']));
    expect(response.status).toBe(200);
    expect(((await response.json()) as { resourceType: string }).resourceType).toBe('CapabilityStatement');
  });

  it('passes the raw path so a percent-encoded $export reaches the export route', async () => {
    const request = new Request('http://localhost:3000/sandbox/bcda/api/v2/Patient/%24export', {
      headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
    });
    const response = await GET(request, context('bcda', ['api', 'v2', 'Patient', '$export']));
    // No token: the export route answers, rather than the router's 404.
    expect(response.status).toBe(401);
  });

  it('answers token requests and 405 for other methods', async () => {
    const token = await POST(new Request('http://localhost:3000/sandbox/bcda/auth/token', { method: 'POST' }), context('bcda', ['auth', 'token']));
    expect(token.status).toBe(400);
    const put = await PUT(new Request('http://localhost:3000/sandbox/bcda/auth/token', { method: 'PUT' }), context('bcda', ['auth', 'token']));
    expect(put.status).toBe(405);
    const del = await DELETE(new Request('http://localhost:3000/sandbox/bcda/auth/token', { method: 'DELETE' }), context('bcda', ['auth', 'token']));
    expect(del.status).toBe(405);
  });

  it('gives a GET with a body (passed on as a marked POST) back as the GET it was: body kept only where the sandbox reads it', async () => {
    const preset = oneuphealth.presets.find((p) => p.id === 'provider-access')!;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: preset.clientId, client_secret: preset.clientSecret, scope: 'bulk-data|user/*.rs' });
    const asServerMjsSendsIt = (url: string) =>
      new Request(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Original-Method': 'GET' }, body: form.toString() });
    const tokenPath = ['auth', 'realms', 'dev-portal', 'protocol', 'openid-connect', 'token'];
    const token = await POST(asServerMjsSendsIt(`http://localhost:3000/sandbox/1uphealth/${tokenPath.join('/')}`), context('1uphealth', tokenPath));
    expect(token.status).toBe(200);
    expect(await token.json()).toMatchObject({ token_type: 'Bearer' });
    // Elsewhere the body is dropped and the GET answered as a GET (not 405 for a POST).
    const metadata = await POST(asServerMjsSendsIt('http://localhost:3000/sandbox/bcda/api/v2/metadata'), context('bcda', ['api', 'v2', 'metadata']));
    expect(metadata.status).toBe(200);
    expect(((await metadata.json()) as { resourceType: string }).resourceType).toBe('CapabilityStatement');
  });

  it('hands the sandbox its request at the address it was called at (the Host), body and all', async () => {
    const calledAs = { Host: 'console.example:8443' };
    const metadata = await GET(new Request('http://0.0.0.0:3000/sandbox/bluebutton/v2/fhir/metadata', { headers: calledAs }), context('bluebutton', ['v2', 'fhir', 'metadata']));
    expect(((await metadata.json()) as { implementation: { url: string } }).implementation.url).toBe('http://console.example:8443/sandbox/bluebutton/v2/fhir');

    const preset = oneuphealth.presets.find((p) => p.id === 'provider-access')!;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: preset.clientId, client_secret: preset.clientSecret, scope: 'bulk-data|user/*.rs' });
    const tokenPath = ['auth', 'realms', 'dev-portal', 'protocol', 'openid-connect', 'token'];
    const token = await POST(
      new Request(`http://0.0.0.0:3000/sandbox/1uphealth/${tokenPath.join('/')}`, { method: 'POST', headers: { ...calledAs, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }),
      context('1uphealth', tokenPath),
    );
    expect(token.status).toBe(200);
  });

  it('404s with the JSON error shape for an unknown provider', async () => {
    const response = await GET(new Request('http://localhost:3000/sandbox/acme/x'), context('acme', ['x']));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('404s when the built-in sandboxes are turned off', async () => {
    vi.stubEnv('BUILTIN_SANDBOXES', 'off');
    const response = await GET(new Request('http://localhost:3000/sandbox/bcda/api/v2/metadata'), context('bcda', ['api', 'v2', 'metadata']));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
