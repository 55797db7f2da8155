import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { sendOutbound } from '@/lib/http/outbound';

/**
 * Exchanges recorded as the console records them: a real request through `sendOutbound` to a loopback server that
 * answers as told, so the exchange goes through the real redaction (SECURITY.md rule 17: redaction tests feed real
 * secrets, never pre-redacted fixtures).
 */

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** Real-looking secrets, each used in one place below. */
export const SECRETS = {
  clientId: '2462c96b-6427-4efb-aed7-118e20c2e997',
  clientSecret: 'cs_Rb4Nw8Kq1Xz6+Tm3Vc9/Hp2Ly7Df5~Js0Ga4E',
  accessToken: 'eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJyZWNvcmRlZC1leGNoYW5nZSJ9.c2lnbmF0dXJlLW9mLXRoZS1yZWNvcmRlZC1leGNoYW5nZQ',
  refreshToken: 'rt_opaque_7Hq2LmX9vR4tNc8WkB3pZy6DfJ1sGa5',
  otherToken: 'ot_opaque_Kq1Xz6Tm3Vc9Hp2Ly7Df5Js0Ga4EuQ8',
  code: 'auth_code_Xz6Tm3Vc9Hp2Ly7Df5Js0',
  codeVerifier: 'verifier_Tm3Vc9Hp2Ly7Df5Js0Ga4EuQ8hTi1oWr6MnPq9',
  cookie: 'Fe26.2**sealed-session-cookie-0123456789abcdef',
  apiKey: 'key_live_3Vc9Hp2Ly7Df5Js0Ga4EuQ8hTi',
  proxyPassword: 'proxy-password-Ly7Df5Js0Ga4',
} as const;

/** Every form a secret can take in an export: none may appear. */
export function formsOf(secret: string): string[] {
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    b64(secret),
    b64(`${SECRETS.clientId}:${secret}`),
    Buffer.from(secret).toString('base64url'),
  ];
}

export interface RecordedCase {
  /** The sensitive header, or the place in a body or URL, the secret hides in. */
  place: string;
  secret: string;
  request: { method?: 'GET' | 'POST'; query?: string; headers?: [string, string][]; body?: string };
  response?: { headers?: [string, string][]; body?: string };
}

/** One case per sensitive header and per place a secret hides (issue #13, 7.2). */
export const RECORDED_CASES: RecordedCase[] = [
  { place: 'Authorization: Basic', secret: SECRETS.clientSecret, request: { headers: [['Authorization', `Basic ${b64(`${SECRETS.clientId}:${SECRETS.clientSecret}`)}`]] } },
  { place: 'Authorization: Bearer', secret: SECRETS.accessToken, request: { headers: [['Authorization', `Bearer ${SECRETS.accessToken}`]] } },
  { place: 'Proxy-Authorization', secret: SECRETS.proxyPassword, request: { headers: [['Proxy-Authorization', `Basic ${b64(`proxy-user:${SECRETS.proxyPassword}`)}`]] } },
  { place: 'Cookie', secret: SECRETS.cookie, request: { headers: [['Cookie', `console_session=${SECRETS.cookie}`]] } },
  { place: 'Set-Cookie', secret: SECRETS.cookie, request: {}, response: { headers: [['Set-Cookie', `console_session=${SECRETS.cookie}; Path=/; HttpOnly`]] } },
  { place: 'X-API-Key', secret: SECRETS.apiKey, request: { headers: [['X-API-Key', SECRETS.apiKey]] } },
  { place: 'JSON field', secret: SECRETS.refreshToken, request: {}, response: { body: JSON.stringify({ error: 'invalid_grant', refresh_token: SECRETS.refreshToken }) } },
  {
    place: 'form field',
    secret: SECRETS.codeVerifier,
    request: { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: `grant_type=authorization_code&code_verifier=${SECRETS.codeVerifier}` },
  },
  { place: 'query string', secret: SECRETS.code, request: { query: `?code=${SECRETS.code}&state=abc` } },
  { place: 'Basic base64 in a body', secret: SECRETS.clientSecret, request: {}, response: { body: `{"error":"invalid_client","error_description":"bad credentials ${b64(`${SECRETS.clientId}:${SECRETS.clientSecret}`)}"}` } },
  {
    place: 'percent-encoded',
    secret: SECRETS.clientSecret,
    request: { method: 'POST', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: `note=${encodeURIComponent(SECRETS.clientSecret)}` },
  },
  { place: 'Bearer in text', secret: SECRETS.otherToken, request: {}, response: { body: `The token in "Authorization: Bearer ${SECRETS.otherToken}" is not valid.` } },
];

/**
 * Records every case as the console would: the BFF knows the client secret and the access token it sends (as the
 * token and FHIR code pass them); everything else is found by header name, field name or auth scheme.
 */
export async function recordCases(cases: readonly RecordedCase[] = RECORDED_CASES): Promise<ExchangeDto[]> {
  const server: Server = createServer((req, res) => {
    const index = Number(/^\/case\/(\d+)/.exec(req.url ?? '')?.[1]);
    const answer = cases[index]?.response ?? {};
    req.resume();
    req.on('end', () => {
      res.writeHead(401, [['Content-Type', 'application/json'], ...(answer.headers ?? [])].flat());
      res.end(answer.body ?? '{"error":"invalid_request"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const exchanges: ExchangeDto[] = [];
    for (const [index, c] of cases.entries()) {
      const result = await sendOutbound(
        { method: c.request.method ?? 'GET', url: new URL(`/case/${index}${c.request.query ?? ''}`, origin), headers: c.request.headers ?? [], body: c.request.body, allowedOrigin: origin },
        { kind: 'text' },
        { kind: 'token', providerId: 'bcda', environmentId: 'builtin', secrets: [SECRETS.clientSecret, SECRETS.accessToken] },
      );
      exchanges.push(result.exchange);
    }
    return exchanges;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
