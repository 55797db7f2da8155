import { sessionDtoSchema, type ExchangeDto, type ProviderDto, type SessionDto, type TokenDto } from '@/lib/contract/schemas';

/** Marks as lib/http/redact.ts writes them: raw in JSON, percent-encoded in form bodies and query strings. */
export const SECRET_MARK = '[redacted hmac:0123456789ab 80 chars]';
export const SECRET_MARK_ENCODED = encodeURIComponent(SECRET_MARK);

export function makeExchange(overrides: Partial<ExchangeDto> = {}): ExchangeDto {
  return {
    id: 'ex-1',
    startedAt: Date.UTC(2026, 7, 23, 14, 3, 27, 120),
    kind: 'token',
    providerId: 'bcda',
    environmentId: 'builtin',
    method: 'POST',
    url: 'http://localhost:3100/sandbox/bcda/auth/token',
    status: 200,
    durationMs: 42.4,
    request: {
      headers: [
        ['authorization', 'Basic [redacted]'],
        ['accept', 'application/json'],
        ['content-length', '0'],
        ['host', 'localhost:3100'],
        ['connection', 'keep-alive'],
        ['accept-encoding', 'gzip'],
      ],
      body: '',
    },
    response: {
      headers: [['content-type', 'application/json']],
      body: `{"access_token": "[redacted hmac:fedcba987654 512 chars]", "expires_in": "1200", "token_type":"bearer"}`,
      bodyTruncated: false,
      size: 640,
    },
    ...overrides,
  };
}

export function makeToken(overrides: Partial<TokenDto> = {}): TokenDto {
  return {
    providerId: 'bcda',
    environmentId: 'builtin',
    presetId: 'extra-small',
    grantType: 'client_credentials',
    responseFacts: {},
    credentialLabel: 'Extra-small ACO',
    clientId: '2462c96b-6427-4efb-aed7-118e20c2e997',
    tokenType: 'bearer',
    maskedToken: 'eyJhbGci…Xk3Q',
    fingerprint: { hmacPrefix: 'fedcba987654', length: 512 },
    format: 'jwt',
    verification: { status: 'verified', reason: 'RS512 signature checked against the JWKS', alg: 'RS512' },
    expiresInRaw: '1200',
    issuedAt: Date.UTC(2026, 7, 23, 14, 3, 27),
    expiresAt: Date.UTC(2026, 7, 23, 14, 23, 27),
    deviations: [
      { code: 'expires_in_string', field: 'expires_in', severity: 'warning', message: 'expires_in is the string "1200"', known: true },
    ],
    reused: false,
    reuses: [],
    exchangeId: 'ex-1',
    ...overrides,
  };
}

/** Parsed, so fields the schema defaults are filled in as the page sees them. */
export function makeSession(overrides: Partial<SessionDto> = {}): SessionDto {
  return sessionDtoSchema.parse({
    serverNow: Date.UTC(2026, 7, 23, 14, 5, 0),
    tokens: [makeToken()],
    exchanges: [makeExchange()],
    flowErrors: [],
    ...overrides,
  });
}

export function makeProvider(overrides: Partial<ProviderDto> = {}): ProviderDto {
  const grant: ProviderDto['grant'] = {
    grantType: 'client_credentials',
    clientAuth: 'basic',
    httpMethod: 'POST',
    body: 'empty',
    scopes: [],
    codeBinding: { method: 'pkce_s256' },
    stateMinLength: 0,
    refresh: { supported: false, rotates: false },
    documentedTokenLifetimeSeconds: 1200,
  };
  return {
    id: 'bcda',
    name: 'CMS BCDA',
    summary: 'Beneficiary Claims Data API',
    docs: [],
    environments: [
      { id: 'builtin', kind: 'builtin', label: 'Built-in sandbox', tokenUrl: '/sandbox/bcda/auth/token', fhirBaseUrl: '/sandbox/bcda/api/v2', allowedPathPrefixes: ['/api/'] },
    ],
    grant,
    redirectUri: 'http://localhost:3100/api/oauth/bcda/callback',
    claimGlossary: {},
    diagnosticNotes: {},
    tokenReuse: { reuseLiveToken: true, reason: 'BCDA tokens live 20 minutes' },
    presets: [
      {
        id: 'extra-small',
        label: 'Extra-small ACO',
        clientId: '2462c96b-6427-4efb-aed7-118e20c2e997',
        environments: ['builtin'],
        facts: {},
        endpoints: {},
        sandboxUsers: [],
      },
    ],
    apiKind: 'fhir',
    allowCustomCredentials: true,
    defaultRequests: [],
    knownDeviations: [],
    ...overrides,
  };
}

/** Anything that looks like a live credential: a compact JWS, a Basic or Bearer value, a long hex or base64 run. */
export const LOOKS_SECRET = [
  /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/,
  /\b(?:Basic|Bearer)\s+(?!\[redacted)(?!\$)[A-Za-z0-9\-._~+/=]{8,}/i,
  /(?<![0-9a-f:])[0-9a-f]{40,}/i,
];
