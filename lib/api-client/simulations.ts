import type { SimulatedFailure, SimulationsDto } from './schemas';

/**
 * What the "Simulate a failure" card offers: each failure's label and what the console will show when it is on.
 * Isomorphic, in the order the card lists them.
 */
export const simulatedFailureOptions: ReadonlyArray<{ value: SimulatedFailure; label: string; description: string }> = [
  {
    value: 'invalid_client',
    label: 'Invalid client',
    description: 'The token endpoint answers 401 as for wrong credentials; the console explains the client authentication.',
  },
  {
    value: 'expired_token',
    label: 'Expired token',
    description: 'API and FHIR requests answer 401 as for an expired token; the console suggests getting a new one.',
  },
  {
    value: 'revoked_refresh',
    label: 'Revoked refresh token',
    description: 'A refresh answers invalid_grant; the console drops the token and asks you to authorize again.',
  },
  {
    value: 'rate_limit_storm',
    label: '429 storm',
    description: 'The token endpoint answers 429 with Retry-After; the console says when to try again, and never loops.',
  },
  {
    value: 'refused_scope',
    label: 'Refused scope',
    description: 'API and FHIR requests answer 403 as for a token without the scope they need.',
  },
  {
    value: 'slow_token',
    label: 'Slow token endpoint',
    description: 'The token endpoint takes 4 s to answer; watch the pending state and the duration in the timeline.',
  },
  {
    value: 'server_error',
    label: '5xx from the token endpoint',
    description: 'The token endpoint answers 503; the console tells a provider outage from a mistake of yours.',
  },
  {
    value: 'api_rate_limit',
    label: '429 from the API',
    description: 'API and FHIR requests (bulk status polls too) answer 429 with Retry-After: 2; bulk polling backs off and says so.',
  },
  {
    value: 'api_server_error',
    label: '503 from the API',
    description: 'API and FHIR requests answer 503 with an OperationOutcome; bulk polling retries a few times, then stops.',
  },
  {
    value: 'no_answer',
    label: 'No answer (timeout)',
    description: 'Every endpoint accepts the connection and never answers; the console gives up after its timeout and says so.',
  },
  {
    value: 'malformed_json',
    label: 'Malformed JSON',
    description: 'Answers arrive whole, but their JSON stops mid-value; the console shows what came and why it cannot read it.',
  },
  {
    value: 'truncated_body',
    label: 'Truncated body',
    description: 'The connection closes halfway through the body; the console reports how much arrived.',
  },
  {
    value: 'connection_reset',
    label: 'Connection reset',
    description: 'The connection drops before any answer; the console tells this apart from a refusal.',
  },
  {
    value: 'slow_body',
    label: 'Slow body',
    description: 'Answers trickle in over about 6 s; the console waits (it never hangs) and the timeline shows the time.',
  },
];

/** The failures switched on for a provider in the session. */
export function getProviderSimulations(simulations: readonly SimulationsDto[] | undefined, providerId: string): SimulatedFailure[] {
  return simulations?.find((s) => s.providerId === providerId)?.failures ?? [];
}

/** The list with `failure` switched on or off, in the card's order. */
export function toggleFailure(current: readonly SimulatedFailure[], failure: SimulatedFailure, on: boolean): SimulatedFailure[] {
  return simulatedFailureOptions
    .map((o) => o.value)
    .filter((value) => (value === failure ? on : current.includes(value)));
}
