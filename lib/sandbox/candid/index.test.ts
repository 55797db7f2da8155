import { describe, expect, it } from 'vitest';
import { consoleHost } from '@/lib/http/console-host';
import { createCandidSandbox, getCandidSandbox } from './index';
import { getPreset, testBase } from './test-helpers';

describe('getCandidSandbox', () => {
  it('returns one process-wide instance', () => {
    expect(getCandidSandbox(consoleHost)).toBe(getCandidSandbox(consoleHost));
  });
});

describe('the seed’s requests against the built-in sandbox (host replaced)', () => {
  const preset = getPreset('demo-billing');

  const sandbox = createCandidSandbox();

  // What the route handler passes: the raw pathname after /sandbox/candid.
  async function curl(url: string, init: RequestInit) {
    const request = new Request(url, init);
    return sandbox.handle(request, new URL(url).pathname.slice('/sandbox/candid'.length));
  }

  it("curl -X POST …/api/auth/v2/token -H 'Content-Type: application/json' -d '{\"client_id\":…}'", async () => {
    const response = await curl(`${testBase}/api/auth/v2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: '*/*', 'User-Agent': 'curl/8.5.0' },
      body: `{ "client_id": "${preset.clientId}", "client_secret": "${preset.clientSecret}" }`,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ expires_in: 18000, token_type: 'Bearer' });
  });

  it('curl -X POST …/api/auth/v2/token -d client_id=…&client_secret=…', async () => {
    const response = await curl(`${testBase}/api/auth/v2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: '*/*', 'User-Agent': 'curl/8.5.0' },
      body: `client_id=${preset.clientId}&client_secret=${preset.clientSecret}`,
    });
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };

    const api = await curl(`${testBase}/api/encounters/v4?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(api.status).toBe(200);
  });

  // The mount hands a sandbox its request at the address it was called at (app/sandbox route test: the Host).
  it('builds the token issuer from the address it was called at, as the browser sees the console', async () => {
    const request = new Request('http://console.example.test/sandbox/candid/api/auth/v2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: preset.clientId, client_secret: preset.clientSecret }),
    });
    const response = await createCandidSandbox().handle(request, '/api/auth/v2/token');
    const { access_token: token } = (await response.json()) as { access_token: string };
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iss: string };
    expect(claims.iss).toBe('http://console.example.test/sandbox/candid/');
  });
});
