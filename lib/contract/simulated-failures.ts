import { z } from 'zod';

/**
 * The failures the built-in sandboxes can be asked to simulate, for demos and learning: one table that the
 * console's "Simulate a failure" card, the BFF (which of them must reach a token endpoint) and the sandboxes (which
 * values `X-Console-Simulate` may name) all derive from, so they cannot drift apart. Switched on per session and
 * provider; the BFF sends them to the built-in sandbox only. Zod only and isomorphic: both sides import it, it
 * imports neither.
 */

/**
 * Where a failure acts: `token_endpoint` on every token request (client credentials, code exchange, refresh),
 * `refresh` on refresh-token grants only, `api` on bearer-protected API and FHIR routes, `transport` on the wire
 * of every endpoint.
 */
export const failureSiteSchema = z
  .enum(['token_endpoint', 'refresh', 'api', 'transport', 'dpop', 'authorize'])
  .describe(
    'Where the failure acts: token requests, refresh grants only, protected API routes, the wire of every endpoint, requests that carry a DPoP proof, or authorization requests.',
  );
export type FailureSite = z.infer<typeof failureSiteSchema>;

/** One row of the table: the value sent in `X-Console-Simulate`, what the card shows, and where it acts. */
interface SimulatedFailureRow {
  value: string;
  label: string;
  /** What the console will show when it is on. */
  description: string;
  actsOn: FailureSite;
  /** Offered only where the sandbox supports this (RFC 9449 DPoP, RFC 9126 PAR); absent: every built-in sandbox. */
  needs?: 'dpop' | 'par';
}

/** Every simulated failure, in the order the card lists them. */
export const simulatedFailureTable = [
  {
    value: 'invalid_client',
    label: 'Invalid client',
    description: 'The token endpoint answers 401 as for wrong credentials; the console explains the client authentication.',
    actsOn: 'token_endpoint',
  },
  {
    value: 'expired_token',
    label: 'Expired token',
    description: 'API and FHIR requests answer 401 as for an expired token; the console suggests getting a new one.',
    actsOn: 'api',
  },
  {
    value: 'revoked_refresh',
    label: 'Revoked refresh token',
    description: 'A refresh answers invalid_grant; the console drops the token and asks you to authorize again.',
    actsOn: 'refresh',
  },
  {
    value: 'rate_limit_storm',
    label: '429 storm',
    description: 'The token endpoint answers 429 with Retry-After; the console says when to try again, and never loops.',
    actsOn: 'token_endpoint',
  },
  {
    value: 'refused_scope',
    label: 'Refused scope',
    description: 'API and FHIR requests answer 403 as for a token without the scope they need.',
    actsOn: 'api',
  },
  {
    value: 'slow_token',
    label: 'Slow token endpoint',
    description: 'The token endpoint takes 4 s to answer; watch the pending state and the duration in the timeline.',
    actsOn: 'token_endpoint',
  },
  {
    value: 'server_error',
    label: '5xx from the token endpoint',
    description: 'The token endpoint answers 503; the console tells a provider outage from a mistake of yours.',
    actsOn: 'token_endpoint',
  },
  {
    value: 'api_rate_limit',
    label: '429 from the API',
    description: 'API and FHIR requests (bulk status polls too) answer 429 with Retry-After: 2; bulk polling backs off and says so.',
    actsOn: 'api',
  },
  {
    value: 'api_server_error',
    label: '503 from the API',
    description: 'API and FHIR requests answer 503 with an OperationOutcome; bulk polling retries a few times, then stops.',
    actsOn: 'api',
  },
  {
    value: 'no_answer',
    label: 'No answer (timeout)',
    description: 'Every endpoint accepts the connection and never answers; the console gives up after its timeout and says so.',
    actsOn: 'transport',
  },
  {
    value: 'malformed_json',
    label: 'Malformed JSON',
    description: 'Answers arrive whole, but their JSON stops mid-value; the console shows what came and why it cannot read it.',
    actsOn: 'transport',
  },
  {
    value: 'truncated_body',
    label: 'Truncated body',
    description: 'The connection closes halfway through the body; the console reports how much arrived.',
    actsOn: 'transport',
  },
  {
    value: 'connection_reset',
    label: 'Connection reset',
    description: 'The connection drops before any answer; the console tells this apart from a refusal.',
    actsOn: 'transport',
  },
  {
    value: 'slow_body',
    label: 'Slow body',
    description: 'Answers trickle in over about 6 s; the console waits (it never hangs) and the timeline shows the time.',
    actsOn: 'transport',
  },
  {
    value: 'dpop_nonce_required',
    label: 'DPoP nonce required',
    description:
      'Token and FHIR requests with a DPoP proof are first answered use_dpop_nonce with a DPoP-Nonce; the console answers the challenge once with a new proof that carries it.',
    actsOn: 'dpop',
    needs: 'dpop',
  },
  {
    value: 'dpop_invalid_proof',
    label: 'DPoP proof refused',
    description: 'The token endpoint refuses the DPoP proof with invalid_dpop_proof; the console shows the proof it sent, decoded, and what a server checks in it.',
    actsOn: 'dpop',
    needs: 'dpop',
  },
  {
    value: 'dpop_replayed_jti',
    label: 'Replayed DPoP proof',
    description: 'The token endpoint answers as if the proof’s jti had been used before; the console explains why every proof must be new.',
    actsOn: 'dpop',
    needs: 'dpop',
  },
  {
    value: 'par_not_used',
    label: 'PAR skipped',
    description:
      'The console sends the authorization request through the browser instead of pushing it; a client that must push (require_pushed_authorization_requests) is refused, and the console says why.',
    actsOn: 'authorize',
    needs: 'par',
  },
  {
    value: 'par_expired_request_uri',
    label: 'Expired request_uri',
    description: 'The pushed request has expired when the browser reaches the authorize page; the server refuses its request_uri and the console explains.',
    actsOn: 'authorize',
    needs: 'par',
  },
] as const satisfies readonly SimulatedFailureRow[];

type SimulatedFailureValue = (typeof simulatedFailureTable)[number]['value'];

/** A failure a session can switch on: one of the table's values. */
export const simulatedFailureSchema = z
  .enum(simulatedFailureTable.map((row) => row.value) as [SimulatedFailureValue, ...SimulatedFailureValue[]])
  .describe('A failure the built-in sandbox simulates, sent in X-Console-Simulate.');
export type SimulatedFailure = z.infer<typeof simulatedFailureSchema>;

/**
 * The failures that change what a token endpoint answers to any token request: those of the token endpoint, those
 * of the wire (which hit every endpoint) and those of DPoP proofs. Refresh-only, API and authorize failures are not
 * among them.
 */
export const tokenSideFailures: ReadonlySet<SimulatedFailure> = new Set(
  simulatedFailureTable.filter((row) => row.actsOn === 'token_endpoint' || row.actsOn === 'transport' || row.actsOn === 'dpop').map((row) => row.value),
);

/** What a sandbox supports, as far as the table's `needs` go. */
export interface SandboxFeatures {
  dpop: boolean;
  par: boolean;
}

/** What a built-in sandbox environment supports, from what it advertises: DPoP algorithms, a PAR endpoint. */
export function sandboxFeaturesOf(environment: { dpopSigningAlgs?: readonly string[]; pushedAuthorizationUrl?: unknown; pushedAuthorizationPath?: unknown }): SandboxFeatures {
  return {
    dpop: (environment.dpopSigningAlgs ?? []).length > 0,
    par: Boolean(environment.pushedAuthorizationUrl ?? environment.pushedAuthorizationPath),
  };
}

/** The failures a sandbox with these features can simulate, in the table's order. */
export function failuresFor(features: SandboxFeatures): SimulatedFailure[] {
  return simulatedFailureTable.filter((row: SimulatedFailureRow) => row.needs === undefined || features[row.needs]).map((row) => row.value);
}

/** The request header the BFF sends a built-in sandbox the failures in: a comma-separated list of {@link SimulatedFailure} values. */
export const simulateHeader = 'X-Console-Simulate';
