import 'server-only';
import { simulatedFailureSchema, simulateHeader, type SimulatedFailure } from '@/lib/contract/simulated-failures';

/**
 * Failure simulation for demos and learning: the console's BFF names the failures a session switched on in
 * `X-Console-Simulate` (it sends the header to the built-in sandboxes only), and each sandbox answers as its
 * provider would for that failure. The provider-specific bodies live in each sandbox's `simulation.ts`; this file
 * holds the parts every sandbox shares: reading the header, the order of the checks, and the slow-token wait.
 */


/** How long `slow_token` holds the token endpoint's answer: long enough to watch, well under the BFF's timeout. */
export const slowTokenDelayMs = 4_000;

/** The values the console's table defines (lib/contract/simulated-failures.ts); the sandboxes know no others. */
const known = new Set<string>(simulatedFailureSchema.options);

/** The failures a request asks for; unknown values (and an absent header) are ignored. */
export function readSimulatedFailures(request: Request): Set<SimulatedFailure> {
  const header = request.headers.get(simulateHeader) ?? '';
  const failures = new Set<SimulatedFailure>();
  for (const part of header.split(',')) {
    const value = part.trim().toLowerCase();
    if (known.has(value)) failures.add(value as SimulatedFailure);
  }
  return failures;
}

type Answer = Response | Promise<Response>;

/** How a provider's token endpoint answers each token-side failure. */
export interface TokenFailureResponses {
  /** As for wrong client credentials. */
  invalidClient: (request: Request) => Answer;
  /** The provider's 429, with `Retry-After`. */
  rateLimited: (request: Request) => Answer;
  /** A 503 in the provider's shape. */
  serverError: (request: Request) => Answer;
  /** A refresh grant's `invalid_grant`; absent for providers that issue no refresh tokens. */
  revokedRefresh?: (request: Request) => Answer;
}

/** How a provider's bearer-protected API answers each API-side failure. */
export interface ApiFailureResponses {
  /** Exactly as for an expired access token. */
  expiredToken: () => Response;
  /** 403, as for a token without the scope the route needs. */
  refusedScope: () => Response;
}

/**
 * Runs a token endpoint under the request's simulated failures: `slow_token` waits first (then the other checks
 * still apply), then 5xx, 429, invalid client and a refresh grant's invalid_grant, in that order; with none of
 * them the endpoint answers as usual.
 */
export async function withTokenSimulation(
  request: Request,
  responses: TokenFailureResponses,
  handler: () => Answer,
  delayMs: number = slowTokenDelayMs,
): Promise<Response> {
  const failures = readSimulatedFailures(request);
  if (failures.size === 0) return handler();
  if (failures.has('slow_token')) await waitUnlessAborted(delayMs, request.signal);
  if (failures.has('server_error')) return responses.serverError(request);
  if (failures.has('rate_limit_storm')) return responses.rateLimited(request);
  if (failures.has('invalid_client')) return responses.invalidClient(request);
  if (failures.has('revoked_refresh') && responses.revokedRefresh && (await readGrantType(request)) === 'refresh_token') {
    return responses.revokedRefresh(request);
  }
  return handler();
}

/**
 * The answer a bearer-protected route gives instead of its own under the request's simulated failures, or
 * undefined. Called once the token has been accepted, so a missing or bad token is still refused as usual.
 */
export function simulatedApiFailure(request: Request, responses: ApiFailureResponses): Response | undefined {
  const failures = readSimulatedFailures(request);
  if (failures.has('expired_token')) return responses.expiredToken();
  if (failures.has('refused_scope')) return responses.refusedScope();
  if (failures.has('api_rate_limit')) return apiOutcome(429, 'throttled', 'Too many requests: slow down and retry after the Retry-After delay.', { 'Retry-After': String(apiRetryAfterSeconds) });
  if (failures.has('api_server_error')) return apiOutcome(503, 'transient', 'The service is temporarily unavailable. Retry later.', { 'Retry-After': String(apiRetryAfterSeconds) });
  return undefined;
}

/** The Retry-After of the simulated API 429 and 503: short, so a demo sees the back-off and the recovery. */
export const apiRetryAfterSeconds = 2;

/** A FHIR OperationOutcome answer, the shape FHIR servers use for throttling and outages. */
function apiOutcome(status: number, code: string, diagnostics: string, headers: Record<string, string>): Response {
  return Response.json(
    { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] },
    { status, headers: { 'Content-Type': 'application/fhir+json', ...headers } },
  );
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller went away: nobody waits for the answer). */
export function waitUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The `grant_type` of a token request (form or JSON body, or the query), read from a clone of the request. */
async function readGrantType(request: Request): Promise<string | null> {
  const fromQuery = new URL(request.url).searchParams.get('grant_type');
  if (fromQuery) return fromQuery;
  let text: string;
  try {
    text = await request.clone().text();
  } catch {
    return null;
  }
  const type = request.headers.get('content-type')?.toLowerCase() ?? '';
  if (type.includes('json')) {
    try {
      const body = JSON.parse(text) as unknown;
      return body && typeof body === 'object' && 'grant_type' in body && typeof body.grant_type === 'string' ? body.grant_type : null;
    } catch {
      return null;
    }
  }
  return new URLSearchParams(text).get('grant_type');
}
