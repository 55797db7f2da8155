import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callRoute, startUpstream, type Listener } from '@/test/route-harness';
import * as token from './[providerId]/token/route';

/**
 * SECURITY.md rule 15 at the token route (issue #13, 5.1): a token endpoint that echoes what it was sent into its
 * error answer. Before, the error `message` quoted the raw body: the page received the base64 of
 * `client_id:secret` an echoing server put in its `error_description`.
 */

const CLIENT_SECRET = 'Echo+Secret/Value=42~!*()_0123456789abcdef';

/** Every form the client secret can take in an echo: none may reach the page. */
function secretForms(clientId: string): string[] {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const formEncoded = new URLSearchParams([['', CLIENT_SECRET]]).toString().slice(1);
  return [
    CLIENT_SECRET,
    encodeURIComponent(CLIENT_SECRET),
    formEncoded,
    JSON.stringify(CLIENT_SECRET).slice(1, -1),
    b64(CLIENT_SECRET),
    b64(`${clientId}:${CLIENT_SECRET}`),
    b64(`${encodeURIComponent(clientId)}:${formEncoded}`),
    Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64url'),
  ];
}

/**
 * Answers token requests from clients named `echo-<status>[-text]` with that status and a body repeating the
 * request: its Authorization header, the base64 credentials alone and decoded, the raw body, and the secret parsed
 * out of it. Everything else goes to the built-in sandboxes.
 */
function echoTokenEndpoint(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'POST' || !/\/(auth\/token|api\/auth\/v2\/token)$/.test(req.url ?? '')) return false;
  const authorization = req.headers.authorization ?? '';
  const basic = authorization.replace(/^Basic /, '');
  const decoded = Buffer.from(basic, 'base64').toString();
  const fromHeader = /^echo-/.test(decoded);
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (piece: string) => (body += piece));
  req.on('end', () => {
    const form = new URLSearchParams(body);
    let json: Record<string, string> = {};
    try {
      json = JSON.parse(body) as Record<string, string>;
    } catch {
      // a form body
    }
    const clientId = fromHeader ? decoded.split(':')[0]! : (form.get('client_id') ?? json.client_id ?? '');
    const secret = fromHeader ? decoded.slice(decoded.indexOf(':') + 1) : (form.get('client_secret') ?? json.client_secret ?? '');
    const [, status = '400', text] = /^echo-(\d{3})(-text)?$/.exec(clientId) ?? [];
    const said = `you sent Authorization: ${authorization}; credentials ${basic} = ${decoded}; body ${body}; secret ${secret}; base64 ${Buffer.from(secret).toString('base64')}`;
    if (status === '200') {
      // A token answer whose extra fields and token_type repeat the request: they reach the page as facts and deviations.
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ access_token: 'echo-access-token-0123456789abcdef', token_type: `Basic ${basic}`, expires_in: 300, note: said, patient: secret }));
    } else if (text) {
      res.writeHead(Number(status), { 'Content-Type': 'text/plain' });
      res.end(`Unauthorized: ${said}`);
    } else {
      res.writeHead(Number(status), { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: status === '401' ? 'invalid_client' : 'invalid_request', error_description: said, echo: { authorization, body } }));
    }
  });
  return true;
}

let upstream: Listener;
beforeAll(async () => {
  process.env.SESSION_SECRET ??= 'f'.repeat(64);
  upstream = await startUpstream(echoTokenEndpoint);
});
afterAll(() => upstream.close());

describe('token errors from an echoing token endpoint', () => {
  const cases: { provider: string; clientId: string; bodyFormat?: 'form' | 'json'; status: number }[] = [
    { provider: 'bcda', clientId: 'echo-400', status: 424 },
    { provider: 'bcda', clientId: 'echo-401', status: 424 },
    { provider: 'bcda', clientId: 'echo-401-text', status: 424 },
    { provider: 'bcda', clientId: 'echo-403', status: 424 },
    { provider: 'bcda', clientId: 'echo-500-text', status: 502 },
    { provider: 'bcda', clientId: 'echo-429', status: 429 },
    { provider: 'candid', clientId: 'echo-400', bodyFormat: 'form', status: 424 },
    { provider: 'candid', clientId: 'echo-422', bodyFormat: 'json', status: 424 },
    { provider: 'candid', clientId: 'echo-418-text', bodyFormat: 'json', status: 424 },
  ];

  it.each(cases)(
    'SECURITY 15: the JSON the page receives holds no form of the client secret ($provider, $clientId, $bodyFormat body)',
    async ({ provider, clientId, bodyFormat, status }) => {
      const hitsBefore = upstream.hits.length;
      const { response, json } = await callRoute(token.POST as never, {
        path: `/api/oauth/${provider}/token`,
        params: { providerId: provider },
        body: { environmentId: 'builtin', credential: { kind: 'custom', clientId, clientSecret: CLIENT_SECRET }, forceNew: true, ...(bodyFormat ? { bodyFormat } : {}) },
      });
      expect(upstream.hits.length).toBe(hitsBefore + 1);
      expect(response.status).toBe(status);
      const text = JSON.stringify(json);
      for (const form of secretForms(clientId)) expect(text.includes(form), `${form.slice(0, 12)}… in ${text}`).toBe(false);
      // A credential after the scheme, not the hint's own words ("the HTTP Basic Authorization header").
      expect(text).not.toMatch(/Basic\s+(?!\[redacted|Authorization\b)[A-Za-z0-9+/=]{8,}/);
      // Still an explanation that quotes the provider, with the secret's place marked.
      const error = (json as { error: { message: string; upstream: { body: string } } }).error;
      expect(error.message).toContain('token endpoint answered');
      expect(error.message + error.upstream.body).toContain('[redacted');
    },
  );

  it('SECURITY 15: a token answer that repeats the request in its extra fields and token_type reaches the page redacted', async () => {
    const { response, json } = await callRoute(token.POST as never, {
      path: '/api/oauth/bcda/token',
      params: { providerId: 'bcda' },
      body: { environmentId: 'builtin', credential: { kind: 'custom', clientId: 'echo-200', clientSecret: CLIENT_SECRET }, forceNew: true },
    });
    expect(response.status).toBe(200);
    const text = JSON.stringify(json);
    for (const form of secretForms('echo-200')) expect(text.includes(form), `${form.slice(0, 12)}… in ${text}`).toBe(false);
    const dto = (json as { token: { responseFacts: Record<string, unknown>; deviations: { code: string; message: string }[] } }).token;
    expect(dto.responseFacts.note).toContain('[redacted');
    expect(dto.deviations.find((d) => d.code === 'token_type_not_bearer')?.message).toContain('Basic [redacted');
  });
});
