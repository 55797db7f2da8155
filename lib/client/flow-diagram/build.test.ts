import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import { LOOKS_SECRET, makeExchange, makeProvider, makeToken, SECRET_MARK, SECRET_MARK_ENCODED } from '@/lib/client/timeline/test-fixtures';
import type { ExchangeDto, TokenDto } from '@/lib/contract/schemas';
import { buildFlowDiagram } from './build';
import type { DiagramMessage, FlowDiagram } from './model';
import { toMermaid } from './mermaid';

const T0 = Date.UTC(2026, 7, 23, 14, 0, 0);
const at = (seconds: number) => T0 + seconds * 1000;

function messages(diagram: FlowDiagram): DiagramMessage[] {
  return diagram.items.filter((i): i is DiagramMessage => i.kind === 'message');
}

function arrows(diagram: FlowDiagram): string[] {
  return messages(diagram).map((m) => `${m.from}->${m.to} ${m.label}${m.tone === 'failed' ? ' !' : ''}`);
}

const bluebutton = makeProvider({ id: 'bluebutton', name: 'Blue Button 2.0' });
const bb = (overrides: Partial<ExchangeDto>): ExchangeDto => makeExchange({ providerId: 'bluebutton', ...overrides });

function authorizationCodeRun(): { exchanges: ExchangeDto[]; tokens: TokenDto[] } {
  const exchanges = [
    bb({ id: 'a1', kind: 'authorize', startedAt: at(0), method: 'GET', url: 'http://localhost:3100/sandbox/bluebutton/v2/o/authorize/?response_type=code&client_id=x&state=abc&code_challenge=xyz&code_challenge_method=S256', status: null, durationMs: 0, request: { headers: [], body: null }, response: null }),
    bb({ id: 'c1', kind: 'callback', startedAt: at(20), method: 'GET', url: `http://localhost:3100/api/oauth/bluebutton/callback?code=${SECRET_MARK_ENCODED}&state=abc`, status: 303, durationMs: 0, request: { headers: [], body: null }, response: { headers: [['location', 'http://localhost:3100/?provider=bluebutton&flow=returned']], body: null, bodyTruncated: false, size: 0 } }),
    bb({ id: 't1', kind: 'token', startedAt: at(21), url: 'http://localhost:3100/sandbox/bluebutton/v2/o/token/', request: { headers: [['authorization', 'Basic [redacted]'], ['content-type', 'application/x-www-form-urlencoded']], body: `grant_type=authorization_code&code=${SECRET_MARK_ENCODED}&code_verifier=${SECRET_MARK_ENCODED}` } }),
    bb({ id: 'f1', kind: 'fhir', startedAt: at(25), method: 'GET', url: 'http://localhost:3100/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10', request: { headers: [['authorization', 'Bearer [redacted]']], body: null } }),
    bb({ id: 'r1', kind: 'token', startedAt: at(40), url: 'http://localhost:3100/sandbox/bluebutton/v2/o/token/', request: { headers: [['authorization', 'Basic [redacted]']], body: `grant_type=refresh_token&refresh_token=${SECRET_MARK_ENCODED}` } }),
  ];
  const token = makeToken({
    providerId: 'bluebutton',
    grantType: 'authorization_code',
    exchangeId: 't1',
    reuses: [at(30)],
    refresh: { fingerprint: { hmacPrefix: 'bbbb22220000', length: 30 }, rotates: true, history: [{ at: at(40.05), usedFingerprint: 'aaaa11110000', newFingerprint: 'bbbb22220000' }] },
    deviations: [{ code: 'expires_in_float', field: 'expires_in', severity: 'info', message: 'expires_in is a float (36000.0)', known: true }],
  });
  return { exchanges, tokens: [token] };
}

describe('buildFlowDiagram', () => {
  it('draws client credentials as a request and an answer between the console and the authorization server, citing RFC 6749 §4.4 and the provider’s quirk', () => {
    const diagram = buildFlowDiagram({ provider: makeProvider(), exchanges: [makeExchange()], tokens: [makeToken()] });
    expect(diagram.lanes.map((l) => l.id)).toEqual(['browser', 'console', 'auth', 'api']);
    expect(diagram.lanes.find((l) => l.id === 'auth')?.subtitle).toBe('localhost:3100');
    expect(arrows(diagram)).toEqual(['console->auth POST /sandbox/bcda/auth/token', 'auth->console 200 OK']);
    const [step] = diagram.steps;
    expect(step).toMatchObject({ number: 1, category: 'client-credentials', tone: 'ok' });
    expect(step?.citations.map((c) => c.label)).toEqual(['RFC 6749 §4.4', 'RFC 6749 §2.3.1']);
    expect(step?.explanation).toContain('HTTP Basic');
    expect(step?.quirks).toEqual(['expires_in is the string "1200"']);
    expect(messages(diagram)[0]?.detail).toBe('HTTP Basic');
  });

  it('draws an authorization-code run: the browser’s legs, the login, the code exchange, a FHIR call, a reuse and a rotating refresh', () => {
    const diagram = buildFlowDiagram({ provider: bluebutton, ...authorizationCodeRun() });
    expect(arrows(diagram)).toEqual([
      'browser->auth GET /sandbox/bluebutton/v2/o/authorize/?…',
      'auth->browser 302 to the callback (code)',
      'browser->console GET /api/oauth/bluebutton/callback?…',
      'console->auth POST /sandbox/bluebutton/v2/o/token/',
      'auth->console 200 OK',
      'console->api GET /sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10',
      'api->console 200 OK',
      'console->auth POST /sandbox/bluebutton/v2/o/token/',
      'auth->console 200 OK',
    ]);
    expect(diagram.steps.map((s) => s.category)).toEqual(['authorize', 'callback', 'code-exchange', 'api', 'reuse', 'refresh']);
    expect(diagram.items.find((i) => i.kind === 'note' && i.stepId === 'step-5')).toMatchObject({ over: ['console'], text: 'Live token reused: no request' });
    expect(diagram.items.find((i) => i.kind === 'note' && i.stepId === 'step-1')).toMatchObject({ over: ['browser', 'auth'], tone: 'waiting' });
    const refreshAnswer = messages(diagram).at(-1);
    expect(refreshAnswer?.retired).toBe('refresh token hmac:aaaa11110000');
    const refresh = diagram.steps.at(-1);
    expect(refresh?.explanation).toContain('rotated');
    expect(refresh?.citations.map((c) => c.label)).toContain('RFC 9700 §4.14.2');
    expect(diagram.steps[0]?.citations.map((c) => c.label)).toEqual(['RFC 6749 §4.1.1', 'RFC 7636 §4.3', 'SMART App Launch 2.x, standalone launch']);
    expect(diagram.steps[2]?.citations.map((c) => c.label)).toContain('RFC 7636 §4.5');
    expect(diagram.steps[2]?.quirks).toEqual(['expires_in is a float (36000.0)']);
  });

  it('draws a denied consent in red at the callback, with the console’s words', () => {
    const denied = bb({ id: 'c2', kind: 'callback', url: 'http://localhost:3100/api/oauth/bluebutton/callback?error=access_denied&state=abc', status: 303, request: { headers: [], body: null }, response: null, error: 'The provider answered the authorization with access_denied.' });
    const diagram = buildFlowDiagram({ provider: bluebutton, exchanges: [denied], tokens: [] });
    expect(arrows(diagram)).toEqual(['auth->browser 302 to the callback (access_denied) !', 'browser->console GET /api/oauth/bluebutton/callback?error=access_denied&state=abc !']);
    expect(diagram.steps[0]).toMatchObject({ tone: 'failed', problems: ['The provider answered the authorization with access_denied.'] });
  });

  it('follows a bulk export from the kick-off through the polls and the manifest to the downloads', () => {
    const base = 'http://localhost:3100/sandbox/bcda/api/v2';
    const status = 'http://localhost:3100/sandbox/bcda/api/v2/jobs/42';
    const file = 'http://localhost:3100/sandbox/bcda/data/42/Patient.ndjson';
    const fhir = (overrides: Partial<ExchangeDto>) => makeExchange({ kind: 'fhir', method: 'GET', ...overrides });
    const exchanges = [
      fhir({ id: 'k', url: `${base}/Patient/$export?_type=Patient`, status: 202, response: { headers: [['content-location', status]], body: null, bodyTruncated: false, size: 0 } }),
      fhir({ id: 'p1', url: status, status: 202, response: { headers: [['retry-after', '2'], ['x-progress', 'In progress']], body: null, bodyTruncated: false, size: 0 } }),
      fhir({ id: 'm', url: status, status: 200, response: { headers: [], body: JSON.stringify({ output: [{ type: 'Patient', url: file }] }), bodyTruncated: false, size: 80 } }),
      fhir({ id: 'd', url: file, status: 200 }),
      fhir({ id: 'x', url: `${base}/Patient/123`, status: 200 }),
    ];
    const diagram = buildFlowDiagram({ provider: makeProvider(), exchanges, tokens: [] });
    expect(diagram.steps.map((s) => s.category)).toEqual(['bulk-kickoff', 'bulk-poll', 'bulk-manifest', 'bulk-download', 'api']);
    expect(messages(diagram).find((m) => m.exchangeId === 'p1' && m.reply)?.detail).toContain('Retry-After 2');
    expect(diagram.steps[1]?.explanation).toContain('Retry-After 2');
    expect(diagram.steps[1]?.explanation).toContain('In progress');
    expect(diagram.steps[0]?.citations[0]?.label).toBe('Bulk Data IG 2.0, kick-off request');
  });

  it('marks a failure red with what went wrong, and a token the provider refused', () => {
    const failed = makeExchange({ id: 'bad', startedAt: at(0), status: 401, response: { headers: [['content-type', 'text/plain']], body: 'Unauthorized', bodyTruncated: false, size: 12 } });
    const down = makeExchange({ id: 'down', startedAt: at(5), status: null, response: null, error: 'Connection refused (ECONNREFUSED)' });
    const refusedCall = makeExchange({ id: 'f', kind: 'fhir', method: 'GET', startedAt: at(9), url: 'http://localhost:3100/sandbox/bcda/api/v2/Patient', status: 401 });
    const token = makeToken({ refusal: { at: at(9), source: 'resource', reason: 'Token revoked', exchangeId: 'f' } });
    const diagram = buildFlowDiagram({ provider: makeProvider(), exchanges: [failed, down, refusedCall], tokens: [token] });
    expect(arrows(diagram)).toContain('auth->console 401 Unauthorized !');
    expect(arrows(diagram)).toContain('auth->console no answer !');
    expect(diagram.steps.map((s) => s.tone)).toEqual(['failed', 'failed', 'failed']);
    expect(diagram.steps[1]?.problems).toContain('Connection refused (ECONNREFUSED)');
    expect(diagram.steps[2]?.problems).toContain('The provider refused the token: Token revoked');
  });

  it('marks each answer with its worst conformance outcome and lists what failed among the step’s problems (issue #18)', () => {
    const check = (checkId: string, outcome: 'pass' | 'fail' | 'known', message: string) => ({ checkId, outcome, message, exchangeIds: [], deviations: [] });
    const judged = makeExchange({ id: 'j', startedAt: at(0), checks: [check('backend.token-success', 'pass', '200 OK.'), check('backend.token-response-headers', 'fail', 'Cache-Control is missing.')] });
    const known = makeExchange({ id: 'k', startedAt: at(5), checks: [check('backend.token-response-body', 'known', 'expires_in is a string.')] });
    const unjudged = makeExchange({ id: 'u', startedAt: at(9) });
    const diagram = buildFlowDiagram({ provider: makeProvider(), exchanges: [judged, known, unjudged], tokens: [] });
    const replies = messages(diagram).filter((m) => m.reply);
    expect(replies.map((m) => m.conformance)).toEqual(['fail', 'known', undefined]);
    expect(messages(diagram).filter((m) => !m.reply).map((m) => m.conformance)).toEqual([undefined, undefined, undefined]);
    expect(diagram.steps[0]?.problems).toContain('Conformance: Cache-Control is missing.');
    expect(diagram.steps[1]?.problems.some((p) => p.startsWith('Conformance'))).toBe(false);
  });

  it('draws only the chosen provider’s exchanges, and a custom provider’s discovery on its host', () => {
    const custom = makeProvider({ id: 'custom-1', name: 'My SMART server', custom: { discoveryUrl: 'https://smart.example/fhir' } });
    const exchanges = [
      makeExchange({ id: 'mine', providerId: 'custom', kind: 'other', method: 'GET', url: 'https://smart.example/fhir/.well-known/smart-configuration' }),
      makeExchange({ id: 'theirs', providerId: 'custom', kind: 'other', method: 'GET', url: 'https://other.example/.well-known/smart-configuration' }),
      makeExchange({ id: 'reg', providerId: 'custom-1', kind: 'other', method: 'POST', url: 'https://smart.example/register' }),
      makeExchange({ id: 'intro', providerId: 'custom-1', kind: 'other', method: 'POST', url: 'https://smart.example/introspect' }),
      makeExchange({ id: 'meta', providerId: 'custom-1', kind: 'other', method: 'GET', url: 'https://smart.example/fhir/metadata' }),
      makeExchange({ id: 'keys', providerId: 'custom-1', kind: 'jwks', method: 'GET', url: 'https://smart.example/jwks' }),
      makeExchange({ id: 'bcda' }),
    ];
    const diagram = buildFlowDiagram({ provider: custom, exchanges, tokens: [] });
    expect(diagram.steps.map((s) => [s.exchangeId, s.category])).toEqual([
      ['mine', 'discovery'],
      ['reg', 'registration'],
      ['intro', 'introspection'],
      ['meta', 'discovery'],
      ['keys', 'jwks'],
    ]);
    expect(messages(diagram).find((m) => m.exchangeId === 'meta')?.to).toBe('api');
  });

  it('reads private_key_jwt, JSON and form client authentication from what was sent', () => {
    const assertion = makeExchange({ id: 'pk', request: { headers: [], body: `grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${SECRET_MARK_ENCODED}` } });
    const json = makeExchange({ id: 'js', request: { headers: [['content-type', 'application/json']], body: `{"client_id":"x","client_secret":"${SECRET_MARK}"}` } });
    const form = makeExchange({ id: 'fm', request: { headers: [], body: `client_id=x&client_secret=${SECRET_MARK_ENCODED}&grant_type=client_credentials` } });
    const token = makeToken({ exchangeId: 'pk', clientAssertion: { header: { alg: 'RS384', kid: 'k1' }, claims: { iss: 'client-1', sub: 'client-1', aud: 'https://as/token', jti: 'j1', exp: 1 } } });
    const diagram = buildFlowDiagram({ provider: makeProvider(), exchanges: [assertion, json, form], tokens: [token] });
    expect(diagram.steps[0]?.keyLines).toContain('Client assertion: alg=RS384, kid=k1; iss="client-1", sub="client-1", aud="https://as/token", exp=1, jti="j1"');
    expect(messages(diagram).filter((m) => !m.reply).map((m) => m.detail)).toEqual(['private_key_jwt assertion', 'secret in a JSON body', 'secret in the form body']);
    expect(diagram.steps[0]?.citations.map((c) => c.label)).toEqual(['RFC 6749 §4.4', 'RFC 7523 §2.2', 'SMART App Launch 2.x, Backend Services']);
  });
});

describe('buildFlowDiagram with DPoP and PAR', () => {
  it('draws the pushed request as a step of its own, the browser’s leg by reference, the proofs on the arrows and a nonce challenge as a step, not a failure', () => {
    const smart = makeProvider({ id: 'smart', name: 'SMART' });
    const s = (overrides: Partial<ExchangeDto>): ExchangeDto => makeExchange({ providerId: 'smart', ...overrides });
    const proof = { header: { typ: 'dpop+jwt' }, claims: {}, jkt: 'k', answersNonceChallenge: false };
    const exchanges = [
      s({ id: 'p0', kind: 'par', startedAt: at(0), url: 'http://localhost:3100/sandbox/smart/auth/par', status: 400, dpop: proof, request: { headers: [['Authorization', 'Basic [redacted]']], body: 'response_type=code' }, response: { headers: [['DPoP-Nonce', 'n']], body: '{"error":"use_dpop_nonce"}', bodyTruncated: false, size: 26 } }),
      s({ id: 'p1', kind: 'par', startedAt: at(1), url: 'http://localhost:3100/sandbox/smart/auth/par', status: 201, dpop: { ...proof, answersNonceChallenge: true }, request: { headers: [['Authorization', 'Basic [redacted]']], body: 'response_type=code' } }),
      s({ id: 'a1', kind: 'authorize', startedAt: at(2), method: 'GET', url: 'http://localhost:3100/sandbox/smart/auth/authorize?client_id=x&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc', status: null, durationMs: 0, request: { headers: [], body: null }, response: null }),
    ];
    const diagram = buildFlowDiagram({ provider: smart, exchanges, tokens: [] });
    expect(diagram.steps.map((step) => [step.category, step.tone])).toEqual([
      ['par', 'ok'],
      ['par', 'ok'],
      ['authorize', 'ok'],
    ]);
    expect(diagram.steps[0]!.citations.map((c) => c.label)).toEqual(['RFC 9126 §2.1', 'RFC 9126 §2.2', 'RFC 9449 §4']);
    expect(diagram.steps[1]!.explanation).toContain('nonce the server asked for');
    expect(diagram.steps[2]!.title).toContain('request_uri');
    expect(messages(diagram).find((m) => m.id === 'p1-req')?.detail).toBe('HTTP Basic + DPoP proof with nonce');
  });
});

describe('toMermaid', () => {
  it('writes a sequence diagram the mermaid parser accepts, numbered, failures crossed, the rotation named', async () => {
    const run = authorizationCodeRun();
    const failed = bb({ id: 'bad', startedAt: at(50), kind: 'fhir', method: 'GET', url: 'http://localhost:3100/sandbox/bluebutton/v2/fhir/Patient?name=a;b#c', status: 401 });
    const text = toMermaid(buildFlowDiagram({ provider: { ...bluebutton, name: 'Blue; Button #2' }, exchanges: [...run.exchanges, failed], tokens: run.tokens }));
    await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines).toContain('  participant A as Authorization server<br/>localhost:3100');
    expect(lines).toContain('  B->>A: 1. GET /sandbox/bluebutton/v2/o/authorize/?… (sent by the console)');
    expect(lines).toContain('  Note over B,A: Log in and consent');
    expect(lines).toContain('  Note over C: 5. Live token reused: no request');
    expect(lines.find((l) => l.includes('refresh token hmac:aaaa11110000 retired'))).toMatch(/^ {2}A-->>C: 200 OK/);
    expect(lines.find((l) => l.startsWith('  F--xC:'))).toContain('401 Unauthorized');
    expect(text).not.toMatch(/[^&]#c|a;b/);
  });

  it('carries no secret: nothing that looks like a credential, only the server’s redaction marks', () => {
    const run = authorizationCodeRun();
    const text = toMermaid(buildFlowDiagram({ provider: bluebutton, ...run }));
    for (const pattern of LOOKS_SECRET) expect(text).not.toMatch(pattern);
  });
});
