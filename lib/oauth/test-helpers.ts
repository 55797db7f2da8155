import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providerSchema, type ProviderInput } from '@/lib/providers/schema';
import type { StoredToken } from '@/lib/session/vault';

/** Shared fixtures for the OAuth unit tests (not a test file itself). */

type EnvironmentInput = ProviderInput['environments'][number];

/**
 * A demo authorization server's provider entry: one built-in environment with `/authorize`, `/token` and a FHIR base, an
 * authorization-code grant with PKCE S256 and refresh. Tests override the grant and add endpoints.
 */
export function demoProviderInput(options: { grant?: Partial<ProviderInput['grant']>; environment?: Partial<EnvironmentInput> } = {}): ProviderInput {
  return {
    id: 'demo',
    name: 'Demo AS',
    summary: 'test',
    docs: [],
    environments: [
      { id: 'builtin', kind: 'builtin', label: 'Built-in', origin: null, tokenPath: '/token', authorizePath: '/authorize', fhirBasePath: '/fhir', allowedPathPrefixes: ['/fhir/'], ...options.environment } as EnvironmentInput,
    ],
    grant: {
      grantType: 'authorization_code', clientAuth: 'basic', httpMethod: 'POST', body: 'form', extraParams: {}, scopes: ['openid'], headers: {},
      pkce: 'S256', stateMinLength: 16, refresh: { supported: true, rotates: true },
      ...options.grant,
    } as ProviderInput['grant'],
    documentedTokenLifetimeSeconds: 3600,
    tokenFormat: 'opaque',
    tokenReuse: { reuseLiveToken: false, reason: '' },
    presets: [],
    allowCustomCredentials: true,
    defaultRequests: [],
    knownDeviations: [],
  };
}

/** {@link demoProviderInput}, parsed as the console loads a provider file. */
export function demoProvider(options: Parameters<typeof demoProviderInput>[0] = {}) {
  return providerSchema.parse(demoProviderInput(options));
}

/** Starts `server` on a free loopback port and gives its origin. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A token as the vault stores it after a demo run: opaque, an hour long, with nothing refreshed or reused yet. */
export function storedTokenFixture(overrides: Partial<StoredToken> & Pick<StoredToken, 'accessToken'>): StoredToken {
  return {
    providerId: 'demo',
    environmentId: 'builtin',
    grantType: 'authorization_code',
    credential: { kind: 'custom', clientId: 'client-1', label: 'mine', clientSecret: 'secret-1-abcdef' },
    refreshHistory: [],
    reuses: [],
    responseFacts: {},
    tokenType: 'Bearer',
    expiresInRaw: 3600,
    issuedAt: 0,
    expiresAt: 3_600_000,
    deviations: [],
    verification: { status: 'unverifiable', reason: 'opaque token' },
    ...overrides,
  } as StoredToken;
}

/**
 * A fake authorization-server endpoint on loopback: every request's form body is recorded in `calls` and answered
 * with the JSON `answer` gives (no-store), after `delayMs` so parallel callers overlap.
 */
export async function startFormEndpoint(
  answer: (form: URLSearchParams, request: IncomingMessage, body: string) => { status: number; json: unknown },
  delayMs = 0,
): Promise<{ origin: string; calls: URLSearchParams[]; close: () => Promise<void> }> {
  const calls: URLSearchParams[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      calls.push(form);
      setTimeout(() => {
        const { status, json } = answer(form, req, body);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(json));
      }, delayMs);
    });
  });
  const origin = await listenOnLoopback(server);
  return { origin, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
