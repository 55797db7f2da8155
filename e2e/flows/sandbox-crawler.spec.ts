import type { ProviderDto } from '../../lib/contract/schemas';
import { expect, test } from '../support/test';

/**
 * Issue #14: nothing under /sandbox/ redirects where the provider would not. Every endpoint the console knows of a
 * built-in sandbox (the provider files, through /api/providers: token, authorize, introspection, FHIR base and
 * metadata, SMART configuration, every example request) is asked in both slash forms, as a client that does not
 * follow redirects (Python's urllib, curl without -L). None of them is a redirect target of the other: a 3xx here
 * is Next's trailing-slash 308 or a sandbox bug, never the provider's behaviour.
 */

interface Target {
  providerId: string;
  url: string;
  method: 'GET' | 'POST';
}

function bothForms(url: string): string[] {
  const parsed = new URL(url);
  const trimmed = parsed.pathname.replace(/\/+$/, '');
  return [`${parsed.origin}${trimmed}${parsed.search}`, `${parsed.origin}${trimmed}/${parsed.search}`];
}

function targetsOf(provider: ProviderDto): Target[] {
  const builtin = provider.environments.find((env) => env.kind === 'builtin');
  if (!builtin) return [];
  const endpoints: { tokenUrl: string; fhirBaseUrl: string; authorizeUrl?: string; introspectionUrl?: string }[] = [
    builtin,
    ...provider.presets.flatMap((preset) => Object.values(preset.endpoints)),
  ];
  const base = `${new URL(builtin.tokenUrl).origin}/sandbox/${provider.id}`;
  const urls: Target[] = [];
  for (const env of endpoints) {
    urls.push({ providerId: provider.id, url: env.tokenUrl, method: 'POST' });
    if (env.introspectionUrl) urls.push({ providerId: provider.id, url: env.introspectionUrl, method: 'POST' });
    if (env.authorizeUrl) urls.push({ providerId: provider.id, url: env.authorizeUrl, method: 'GET' });
    urls.push({ providerId: provider.id, url: `${env.fhirBaseUrl.replace(/\/$/, '')}/metadata`, method: 'GET' });
    urls.push({ providerId: provider.id, url: `${env.fhirBaseUrl.replace(/\/$/, '')}/.well-known/smart-configuration`, method: 'GET' });
  }
  for (const request of provider.defaultRequests) {
    urls.push({ providerId: provider.id, url: `${base}${request.path}`, method: request.method === 'POST' ? 'POST' : 'GET' });
  }
  return urls.flatMap((target) => bothForms(target.url).map((url) => ({ ...target, url })));
}

test('no built-in sandbox URL redirects, in either slash form, where its provider would not', async ({ request, baseURL }) => {
  const providers = (await (await request.get(`${baseURL}/api/providers`)).json()) as { providers: ProviderDto[] };
  const targets = providers.providers.flatMap(targetsOf);
  // Every built-in provider takes part, Blue Button's documented slash forms among them.
  expect(new Set(targets.map((t) => t.providerId))).toEqual(new Set(providers.providers.filter((p) => p.environments.some((e) => e.kind === 'builtin')).map((p) => p.id)));
  expect(targets.map((t) => new URL(t.url).pathname)).toEqual(expect.arrayContaining(['/sandbox/bluebutton/v2/o/token/', '/sandbox/bluebutton/v2/o/authorize/', '/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit/']));

  const redirected: string[] = [];
  const nextHeaders: string[] = [];
  for (const target of targets) {
    const response = target.method === 'POST' ? await request.post(target.url, { maxRedirects: 0, data: '' }) : await request.get(target.url, { maxRedirects: 0 });
    if (response.status() >= 300 && response.status() < 400) redirected.push(`${target.method} ${target.url} → ${response.status()} ${response.headers().location ?? ''}`);
    // Issue #14.5: no header of Next's own (its router's Vary, x-nextjs-*, x-middleware-*) in a provider's answer.
    for (const { name, value } of response.headersArray()) {
      if (/^x-(nextjs|middleware)-/i.test(name) || /\b(rsc|next-router-[a-z-]+|next-url)\b/i.test(value)) nextHeaders.push(`${target.method} ${target.url}: ${name}: ${value}`);
    }
  }
  expect(redirected, `${targets.length} requests`).toEqual([]);
  expect(nextHeaders).toEqual([]);
});

test('the console’s own paths keep their canonical form: a trailing slash is a 308 to the path without it, never off the site', async ({ request, baseURL }) => {
  for (const [asked, canonical] of [
    ['/sign-in/', '/sign-in'],
    ['/api/providers/', '/api/providers'],
    ['/api/providers/?x=1', '/api/providers?x=1'],
  ]) {
    const response = await request.get(`${baseURL}${asked}`, { maxRedirects: 0 });
    expect(response.status(), asked).toBe(308);
    expect(new URL(response.headers().location!, baseURL).toString(), asked).toBe(`${baseURL}${canonical}`);
    expect(response.headers()['x-content-type-options'], asked).toBe('nosniff');
  }
  // Repeated leading slashes are collapsed (by Next, then here), never turned into a protocol-relative Location.
  for (const asked of ['//evil.example/', '///evil.example//']) {
    const response = await request.get(`${baseURL}${asked}`, { maxRedirects: 0 });
    expect(response.status(), asked).toBe(308);
    expect(new URL(response.headers().location!, baseURL).origin, asked).toBe(new URL(baseURL!).origin);
  }
});

test('Blue Button’s documented slash forms work as a client that never follows a redirect: token, authorize, FHIR search', async ({ request, baseURL }) => {
  const base = `${baseURL}/sandbox/bluebutton`;
  // The documented token POST, as `curl -X POST …/v2/o/token/` without -L sends it: Blue Button's own 400 comes back.
  const token = await request.post(`${base}/v2/o/token/`, { maxRedirects: 0, form: { grant_type: 'authorization_code', code: 'not-a-code', redirect_uri: 'http://localhost/cb' } });
  expect(token.status()).toBe(401);
  expect(await token.json()).toEqual({ error: 'invalid_client' });
  const authorize = await request.get(`${base}/v2/o/authorize/?client_id=x&response_type=code`, { maxRedirects: 0 });
  expect(authorize.status()).toBe(400);
  const search = await request.get(`${base}/v2/fhir/ExplanationOfBenefit/`, { maxRedirects: 0, headers: { Accept: 'application/json' } });
  expect(search.status()).toBe(401);
});
