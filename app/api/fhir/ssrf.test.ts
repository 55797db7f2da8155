import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPagingPath } from '@/lib/client/bundle';
import { toEnvironmentPath } from '@/lib/client/environment-path';
import { sendOutbound, OutboundPolicyError } from '@/lib/http/outbound';
import { openOutboundStream } from '@/lib/http/outbound-stream';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { callRoute, listen, startUpstream, type Listener } from '@/test/route-harness';
import * as download from './[providerId]/download/route';
import * as proxy from './[providerId]/route';
import * as token from '../oauth/[providerId]/token/route';

/**
 * SECURITY.md rule 9 (SSRF), through the real FHIR proxy and download route handlers and the outbound client:
 * the BFF calls only the selected environment's origin. A canary server on loopback stands for every other
 * target (another port, the same host spelled in IPv6, decimal, octal or hex); it must receive nothing.
 */

let upstream: Listener;
let canary: Listener;
let cookie = '';
const hostileBundlePath = '/sandbox/bcda/api/v2/hostile-bundle';
const redirectPath = '/sandbox/bcda/api/v2/redirect-me';

beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  canary = await listen();
  upstream = await startUpstream((req, res) => {
    if (req.url?.startsWith(redirectPath)) {
      // A provider (or an attacker on its path) redirecting elsewhere: a 3xx must be shown, never followed.
      res.writeHead(302, { Location: `${canary.origin}/stolen?from=redirect` }).end();
      return true;
    }
    if (req.url?.startsWith(hostileBundlePath)) {
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `${canary.origin}/api/v2/Patient?page=2` }] }));
      return true;
    }
    return false;
  });
  // A live BCDA token in the session: every refusal below happens with a token that could be stolen.
  const minted = await callRoute(token.POST as never, {
    path: '/api/oauth/bcda/token',
    params: { providerId: 'bcda' },
    body: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'extra-small' } },
  });
  expect(minted.response.status).toBe(200);
  cookie = minted.cookie!;
});
afterAll(async () => {
  await upstream.close();
  await canary.close();
});

const c = () => canary.origin;
const cHost = () => `127.0.0.1:${canary.port}`;

/** ≥ 20 hostile targets and paths the page (or a script posing as it) could send as `path`. */
const hostilePaths: [string, () => string][] = [
  ['absolute URL to another port', () => `${c()}/api/v2/metadata`],
  ['absolute URL to the environment itself', () => `${upstream.origin}/sandbox/bcda/api/v2/metadata`],
  ['absolute URL to another host', () => 'https://evil.example/api/v2/metadata'],
  ['protocol-relative URL', () => `//${cHost()}/api/v2/metadata`],
  ['backslash authority', () => `/\\${cHost()}/api/v2/metadata`],
  ['IPv6 loopback', () => `http://[::1]:${canary.port}/api/`],
  ['IPv4-mapped IPv6', () => `http://[::ffff:127.0.0.1]:${canary.port}/api/`],
  ['decimal IP', () => `http://2130706433:${canary.port}/api/`],
  ['octal IP', () => `http://0177.0.0.1:${canary.port}/api/`],
  ['hex IP', () => `http://0x7f.0.0.1:${canary.port}/api/`],
  ['short IP', () => `http://127.1:${canary.port}/api/`],
  ['credentials in the URL', () => `http://user:pass@${cHost()}/api/`],
  ['userinfo trick on the path', () => `/api/v2@${cHost()}/metadata`],
  ['cloud metadata address', () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
  ['file URL', () => 'file:///etc/passwd'],
  ['javascript URL', () => 'javascript:alert(1)'],
  ['dot-dot traversal', () => '/api/../../admin'],
  ['dot-dot out of the mount', () => '/api/v2/../../../../canary'],
  ['encoded dot-dot', () => '/api/%2e%2e/%2e%2e/admin'],
  ['upper-case encoded dot-dot and slash', () => '/api/%2E%2E%2Fadmin'],
  ['encoded backslash', () => '/api/..%5c..%5cadmin'],
  ['encoded NUL', () => '/api/v2/metadata%00.json'],
  ['empty segment (authority smuggling)', () => `/api//${cHost()}/x`],
  ['fragment carrying a host', () => `/api/v2/metadata#@${cHost()}`],
  ['a path outside the allowed prefixes', () => '/auth/token'],
  ['whitespace and CRLF injection', () => '/api/v2/metadata\r\nHost: evil.example'],
  ['relative path without a leading slash', () => `${cHost()}/api/`],
];

describe('SECURITY 9: SSRF', () => {
  it(`SECURITY 9: the proxy and download routes refuse ${hostilePaths.length} hostile targets and paths with a 400 and call no one`, async () => {
    expect(hostilePaths.length).toBeGreaterThanOrEqual(20);
    const upstreamBefore = upstream.hits.length;
    for (const [name, path] of hostilePaths) {
      for (const [route, handler] of [['/api/fhir/bcda', proxy.POST], ['/api/fhir/bcda/download', download.POST]] as const) {
        const { response, json } = await callRoute(handler as never, { path: route, params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: path() }, cookie });
        expect(response.status, `${route} ${name}`).toBe(400);
        expect((json as { error: { code: string } }).error.code, `${route} ${name}`).toMatch(/^(path_not_allowed|validation_failed)$/);
      }
    }
    expect(canary.hits).toEqual([]);
    expect(upstream.hits.length).toBe(upstreamBefore);
  });

  it('SECURITY 9: the outbound client refuses other origins, user-info and other ports in any spelling before sending', async () => {
    const allowed = upstream.origin;
    const targets = [
      `${c()}/api/`,
      `http://[::1]:${canary.port}/api/`,
      `http://2130706433:${canary.port}/api/`,
      `http://0177.0.0.1:${canary.port}/api/`,
      `http://localhost:${canary.port}/api/`,
      `https://127.0.0.1:${upstream.port}/api/`,
      `http://user:pass@127.0.0.1:${upstream.port}/sandbox/bcda/api/v2/metadata`,
    ];
    const context = { kind: 'fhir' as const, providerId: 'bcda', environmentId: 'builtin', secrets: [] };
    const before = upstream.hits.length;
    for (const target of targets) {
      const request = { method: 'GET' as const, url: new URL(target), headers: [['Authorization', 'Bearer stolen-token-0123456789']] as [string, string][], allowedOrigin: allowed };
      await expect(sendOutbound(request, { kind: 'text' }, context), target).rejects.toBeInstanceOf(OutboundPolicyError);
      await expect(openOutboundStream({ ...request, timeoutMs: 1000, idleTimeoutMs: 1000 }, context, async () => {}), target).rejects.toBeInstanceOf(OutboundPolicyError);
    }
    expect(canary.hits).toEqual([]);
    expect(upstream.hits.length).toBe(before);
  });

  it('SECURITY 9: a 3xx from the provider is shown to the page, never followed with the token', async () => {
    for (const [route, handler] of [['/api/fhir/bcda', proxy.POST], ['/api/fhir/bcda/download', download.POST]] as const) {
      const { response, json } = await callRoute(handler as never, { path: route, params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/api/v2/redirect-me' }, cookie });
      expect(response.status, route).toBe(200);
      expect(json, route).toMatchObject({ status: 302 });
      expect(JSON.stringify((json as { headers: unknown }).headers)).toContain(`${c()}/stolen`);
    }
    expect(canary.hits).toEqual([]);
  });

  it("SECURITY 9: a provider's `next` link or manifest file URL pointing elsewhere never reaches another host", async () => {
    const env = resolveEnvironment(bcda, bcda.environments.find((e) => e.id === 'builtin')!, upstream.origin);
    const envUrls = { tokenUrl: env.tokenUrl.toString(), fhirBaseUrl: env.apiBaseUrl };
    // The page's own paging: a `next` link on a foreign origin is not offered at all.
    const page = await callRoute(proxy.POST as never, { path: '/api/fhir/bcda', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: '/api/v2/hostile-bundle' }, cookie });
    const next = (page.json as { json: { link: { url: string }[] } }).json.link[0]!.url;
    expect(next.startsWith(c())).toBe(true);
    expect(toPagingPath(next, envUrls)).toBeNull();
    // A manifest file URL on a foreign origin is re-rooted on the environment (its path only), never fetched there.
    const manifestUrl = `${c()}/data/1/3f1c2a9e-0000-4000-8000-000000000001.ndjson`;
    const path = toEnvironmentPath(manifestUrl, envUrls);
    expect(path).toBe('/data/1/3f1c2a9e-0000-4000-8000-000000000001.ndjson');
    const before = upstream.hits.length;
    await callRoute(download.POST as never, { path: '/api/fhir/bcda/download', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path }, cookie });
    expect(upstream.hits.slice(before)).toEqual([`GET /sandbox/bcda${path}`]);
    // And the raw foreign URL itself, posted by a script instead of the page, is refused.
    for (const raw of [next, manifestUrl]) {
      const refused = await callRoute(download.POST as never, { path: '/api/fhir/bcda/download', params: { providerId: 'bcda' }, body: { environmentId: 'builtin', path: raw }, cookie });
      expect(refused.response.status).toBe(400);
    }
    expect(canary.hits).toEqual([]);
  });
});
