import { z } from 'zod';
import { assertionFaultSchema } from './smart';
import { bulkExportCapabilitySchema } from './bulk-export';
import { checkGroupSchema, checkResultSchema } from './conformance';
import { simulatedFailureSchema } from '@/lib/contract/simulated-failures';
import { dpopBindingDtoSchema, dpopProofDtoSchema } from '@/lib/contract/dpop';

/**
 * The DTOs that cross from the BFF to the browser. Isomorphic: route handlers build them, the page parses them.
 * None of them may carry a client secret, an access token or a refresh token (../shared/SECURITY.md rule 1).
 */

/**
 * The closed list of error codes: those the BFF answers with (`{ error: { code, message, hint? } }`), then the
 * browser's own for a request that got no such answer or was not sent.
 */
export const apiErrorCodeSchema = z.enum([
  'bad_request',
  'misdirected_request',
  'payload_too_large',
  'validation_failed',
  'csrf_rejected',
  'sign_in_required',
  'not_found',
  'method_not_allowed',
  'no_session',
  'no_token',
  'preset_not_for_environment',
  'sandbox_disabled',
  'path_not_allowed',
  'upstream_rejected',
  'upstream_rate_limited',
  'upstream_error',
  'upstream_unreachable',
  'upstream_timeout',
  'invalid_token_response',
  'reauth_required',
  'state_mismatch',
  'authorization_denied',
  'vault_unavailable',
  'discovery_failed',
  'conflict',
  'internal_error',
  // The browser's: no answer, an answer that is not the contract's, an incomplete form it did not send, anything else.
  'network_error',
  'invalid_response',
  'invalid_request',
  'client_error',
]);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const apiErrorSchema = z.object({
  error: z.object({
    code: apiErrorCodeSchema,
    message: z.string(),
    hint: z.string().optional(),
    /** What the upstream answered, redacted, when the error came from a provider. */
    upstream: z
      .object({ status: z.number().int(), contentType: z.string().nullable(), body: z.string() })
      .optional(),
    /** Field errors from zod, keyed by path. */
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    exchangeId: z.string().optional(),
    requestId: z.string().optional(),
    /** A rejected private_key_jwt request: the assertion that was sent, decoded. */
    clientAssertion: z.object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) }).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const providerEnvironmentDtoSchema = z.object({
  id: z.string(),
  kind: z.enum(['builtin', 'sandbox', 'production']),
  label: z.string(),
  tokenUrl: z.string(),
  fhirBaseUrl: z.string(),
  /** As the browser reaches it (built-in sandboxes: on this console's origin). */
  authorizeUrl: z.string().optional(),
  /** Set when the environment offers RFC 7662 introspection. */
  introspectionUrl: z.string().optional(),
  /** The path prefixes the BFF sends requests to (lib/contract/environment-paths.ts). */
  allowedPathPrefixes: z.array(z.string()),
  note: z.string().optional(),
  /** RFC 9126: where the environment takes pushed authorization requests, and whether it takes only those. */
  pushedAuthorizationUrl: z.string().optional(),
  requirePushedAuthorizationRequests: z.boolean().optional(),
  /** RFC 9449 §5.1: the algorithms of the DPoP proofs it takes; absent when it advertises none. */
  dpopSigningAlgs: z.array(z.string()).optional(),
});

export type ProviderEnvironmentDto = z.infer<typeof providerEnvironmentDtoSchema>;

/**
 * What binds an authorization code to the browser that asked for it (SECURITY.md rule 14): PKCE S256, or, where
 * the server is known to refuse PKCE (`pkceRefusal` says how that is known), an OpenID Connect nonce, or nothing,
 * with the `risk` the page names.
 */
export const codeBindingDtoSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('pkce_s256') }),
  z.object({ method: z.literal('oidc_nonce'), pkceRefusal: z.string() }),
  z.object({ method: z.literal('none'), pkceRefusal: z.string(), risk: z.string() }),
]);
export type CodeBindingDto = z.infer<typeof codeBindingDtoSchema>;

export const grantDtoSchema = z.object({
  grantType: z.enum(['client_credentials', 'authorization_code']),
  clientAuth: z.enum(['basic', 'form', 'json', 'private_key_jwt', 'none']),
  httpMethod: z.enum(['POST', 'GET']),
  body: z.enum(['empty', 'form', 'json']),
  bodyChoices: z.array(z.enum(['form', 'json'])).optional(),
  scopes: z.array(z.string()),
  codeBinding: codeBindingDtoSchema,
  stateMinLength: z.number(),
  refresh: z.object({ supported: z.boolean(), rotates: z.boolean() }),
  /** How long this grant's access tokens live by the provider's docs (a preset's grant may differ). */
  documentedTokenLifetimeSeconds: z.number(),
  /** RFC 9449: the flow sends DPoP proofs, and its tokens are bound to the session's key. */
  dpop: z.boolean().optional(),
  /** RFC 9126: the flow pushes its authorization requests where the environment takes them (absent: it does). */
  pushAuthorizationRequests: z.boolean().optional(),
});
export type GrantDto = z.infer<typeof grantDtoSchema>;

/**
 * What the page's diagnoses add for one provider, from its provider file: the generic checks are the console's, the
 * provider's rules and wording are data.
 */
export const diagnosticNotesSchema = z.object({
  /** An extra finding when production refuses the client (BCDA: credentials rotate every 90 days). */
  productionClientRejected: z.object({ title: z.string(), explanation: z.string(), fix: z.string() }).optional(),
  /** A refresh refused because the user's grant ended: the provider's error text (a regex source) and the grant's life. */
  grantEnded: z.object({ pattern: z.string(), lifetime: z.string() }).optional(),
  /** Why a lower-case `bearer` fails at this provider. */
  bearerCase: z.string().optional(),
  /** How long the provider keeps bulk export files. */
  exportRetention: z.string().optional(),
  /** Why this provider ends a token before its expiry, shown when it refuses one. */
  tokenRefused: z.string().optional(),
});
export type DiagnosticNotes = z.infer<typeof diagnosticNotesSchema>;

export const providerDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  summary: z.string(),
  docs: z.array(z.object({ label: z.string(), url: z.string() })),
  environments: z.array(providerEnvironmentDtoSchema),
  grant: grantDtoSchema,
  /** The exact redirect URI to register with the provider for authorization-code flows. */
  redirectUri: z.string(),
  tokenReuse: z.object({ reuseLiveToken: z.boolean(), reason: z.string() }),
  /** Presets without their secrets. */
  presets: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      clientId: z.string(),
      environments: z.array(z.string()),
      notes: z.string().optional(),
      facts: z.record(z.string(), z.union([z.string(), z.number()])),
      /** Set when the preset's flow differs from the provider's default. */
      grant: grantDtoSchema.optional(),
      /** Endpoints of the preset's flow per environment id, when they differ from the environment's. */
      endpoints: z.record(z.string(), providerEnvironmentDtoSchema.pick({ tokenUrl: true, fhirBaseUrl: true, authorizeUrl: true, allowedPathPrefixes: true })),
      /** Logins the built-in sandbox's authorize page accepts. */
      sandboxUsers: z.array(z.object({ username: z.string(), password: z.string(), note: z.string().optional() })),
    }),
  ),
  /** What the API behind the token speaks: FHIR, or the provider's own JSON. */
  apiKind: z.enum(['fhir', 'json']),
  allowCustomCredentials: z.boolean(),
  /** Set for a provider the user added by discovery (issue #8): saved per user, editable, deletable. */
  custom: z.object({ discoveryUrl: z.string(), issuer: z.string().optional() }).optional(),
  defaultRequests: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      group: z.enum(['discovery', 'data', 'write', 'account', 'bulk']).optional(),
      method: z.enum(['GET', 'POST', 'DELETE']),
      path: z.string(),
      headers: z.record(z.string(), z.string()),
      description: z.string(),
      bulkExport: z.boolean(),
      body: z.string().optional(),
    }),
  ),
  /** Public data of the provider file: levels, resource types and output formats of its `$export`. */
  bulkExport: bulkExportCapabilitySchema.optional(),
  knownDeviations: z.array(
    z.object({ code: z.string(), summary: z.string(), detail: z.string(), source: z.string().optional() }),
  ),
  /** What the provider's own token claims mean (`cid`, `dat` … for BCDA). */
  claimGlossary: z.record(z.string(), z.string()),
  diagnosticNotes: diagnosticNotesSchema,
});
export type ProviderDto = z.infer<typeof providerDtoSchema>;

export const providersResponseSchema = z.object({
  providers: z.array(providerDtoSchema),
  builtinSandboxes: z.boolean(),
});
export type ProvidersResponse = z.infer<typeof providersResponseSchema>;

export const tokenDeviationSchema = z.object({
  code: z.string(),
  field: z.string(),
  severity: z.enum(['info', 'warning']),
  message: z.string(),
  /** True when the provider file documents this deviation as a known quirk. */
  known: z.boolean(),
});
export type TokenDeviation = z.infer<typeof tokenDeviationSchema>;

export const tokenVerificationSchema = z.object({
  status: z.enum(['verified', 'failed', 'unverifiable']),
  reason: z.string(),
  alg: z.string().optional(),
  kid: z.string().optional(),
});
export type TokenVerification = z.infer<typeof tokenVerificationSchema>;

/**
 * A token's name on the page: a prefix of HMAC-SHA256 under a key only the server holds (SECURITY.md rule 15), never a
 * plain hash, and its length. It changes when SESSION_SECRET rotates.
 */
export const tokenFingerprintSchema = z.object({ hmacPrefix: z.string(), length: z.number().int() });

/**
 * The provider refused the token before it expired: a resource server answered 401 to it (RFC 6750 §3.1), or
 * introspection called it inactive (RFC 7662 §2.2). `reason` is the provider's own words (redacted).
 */
export const tokenRefusalSchema = z.object({
  at: z.number(),
  source: z.enum(['resource', 'introspection']),
  reason: z.string(),
  exchangeId: z.string().optional(),
});
export type TokenRefusal = z.infer<typeof tokenRefusalSchema>;

export const tokenDtoSchema = z.object({
  providerId: z.string(),
  environmentId: z.string(),
  /** The preset the token came from; absent for the user's own credentials. */
  presetId: z.string().optional(),
  grantType: z.enum(['client_credentials', 'authorization_code']),
  /** Present when the provider issued a refresh token: its fingerprint and every refresh so far. */
  refresh: z
    .object({
      fingerprint: tokenFingerprintSchema,
      rotates: z.boolean(),
      history: z.array(z.object({ at: z.number(), usedFingerprint: z.string(), newFingerprint: z.string().nullable() })),
    })
    .optional(),
  /** Non-secret, non-standard fields of the token response (patient, access_grant_expiration …). */
  responseFacts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  credentialLabel: z.string(),
  clientId: z.string(),
  tokenType: z.string(),
  /** e.g. `eyJhbGci…Xk3Q` — never the whole token. */
  maskedToken: z.string(),
  fingerprint: tokenFingerprintSchema,
  format: z.enum(['jwt', 'opaque']),
  jwt: z
    .object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) })
    .optional(),
  verification: tokenVerificationSchema,
  /** private_key_jwt: the client assertion sent with the request that got this token, decoded (never the JWT). */
  clientAssertion: z.object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()) }).optional(),
  /** `expires_in` exactly as the provider sent it (BCDA: the string "1200"). */
  expiresInRaw: z.unknown(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  scope: z.string().optional(),
  deviations: z.array(tokenDeviationSchema),
  /** Set when the BFF answered with a live token instead of minting a new one. */
  reused: z.boolean(),
  /** The ID token of an OpenID Connect response: decoded claims and whether its signature checked out. */
  idToken: z
    .object({ header: z.record(z.string(), z.unknown()), claims: z.record(z.string(), z.unknown()), verification: tokenVerificationSchema })
    .optional(),
  /** Every time this token was handed out again instead of minting a new one. */
  reuses: z.array(z.number()).default([]),
  reuseReason: z.string().optional(),
  exchangeId: z.string().optional(),
  /** Set once the provider refused this token: it is not live, whatever its expiry says, and never reused. */
  refusal: tokenRefusalSchema.optional(),
  /** A DPoP token (RFC 9449): the key it is bound to and the proof that got it. */
  dpop: dpopBindingDtoSchema.optional(),
});
export type TokenDto = z.infer<typeof tokenDtoSchema>;

export const headerListSchema = z.array(z.tuple([z.string(), z.string()]));

/**
 * `authorize` and `callback` are the browser's legs of an authorization-code run (RFC 6749 §4.1.1, §4.1.2), recorded
 * by the console when it sends the browser to the login page and when the browser comes back: the console made no
 * request, so they carry no response (authorize) or the console's own redirect (callback).
 */
export const exchangeKindSchema = z.enum(['token', 'fhir', 'jwks', 'other', 'authorize', 'callback', 'par']);
export type ExchangeKind = z.infer<typeof exchangeKindSchema>;

/** The legs the browser made, not the server: no curl, no HAR entry of the server's traffic. */
export function isBrowserLeg(exchange: { kind: ExchangeKind }): boolean {
  return exchange.kind === 'authorize' || exchange.kind === 'callback';
}

export const exchangeDtoSchema = z.object({
  id: z.string(),
  startedAt: z.number(),
  kind: exchangeKindSchema,
  providerId: z.string(),
  environmentId: z.string(),
  method: z.string(),
  url: z.string(),
  status: z.number().int().nullable(),
  durationMs: z.number(),
  request: z.object({ headers: headerListSchema, body: z.string().nullable() }),
  response: z
    .object({ headers: headerListSchema, body: z.string().nullable(), bodyTruncated: z.boolean(), size: z.number() })
    .nullable(),
  /** Network-level failure (timeout, DNS, refused), when there was no response. */
  error: z.string().optional(),
  /**
   * A FHIR JSON answer validated against R4 by the server where it read the body whole (the recorded body may be cut):
   * how many resources, and each problem with how many had it.
   */
  r4: z.object({ resources: z.number().int(), problems: z.array(z.object({ problem: z.string(), count: z.number().int() })) }).optional(),
  /** Set on a request a conformance run sent wrong on purpose (no token, a bad grant): what it tests, in words. */
  probe: z.string().optional(),
  /** The DPoP proof the request carried, decoded (RFC 9449); its `DPoP` header is redacted like a credential. */
  dpop: dpopProofDtoSchema.optional(),
  /** Conformance checks of this exchange (issue #18), computed by the server when it shows the session; never stored. */
  checks: z.array(checkResultSchema).optional(),
});
export type ExchangeDto = z.infer<typeof exchangeDtoSchema>;

// The simulated failures are one table in lib/contract (the card, the BFF and the sandboxes read it); re-exported
// here beside the DTOs that carry them.
export { simulatedFailureSchema, type SimulatedFailure } from '@/lib/contract/simulated-failures';

/** The failures switched on for one provider's built-in sandbox in this session. */
export const simulationsDtoSchema = z.object({ providerId: z.string(), failures: z.array(simulatedFailureSchema) });
export type SimulationsDto = z.infer<typeof simulationsDtoSchema>;

/** `PUT /api/session/simulations/{providerId}`: the whole list, replacing the previous one (empty: all off). */
export const simulationsRequestSchema = z.object({
  failures: z.array(simulatedFailureSchema).max(simulatedFailureSchema.options.length),
});
export type SimulationsRequest = z.infer<typeof simulationsRequestSchema>;

/** A token the provider ended (refresh refused as revoked or used): its history, with no secret left. */
export const endedTokenDtoSchema = z.object({
  providerId: z.string(),
  environmentId: z.string(),
  presetId: z.string().optional(),
  credentialLabel: z.string(),
  issuedAt: z.number(),
  reuses: z.array(z.number()),
  refreshHistory: z.array(z.object({ at: z.number(), usedFingerprint: z.string(), newFingerprint: z.string().nullable() })),
  endedAt: z.number(),
  reason: z.string(),
});
export type EndedTokenDto = z.infer<typeof endedTokenDtoSchema>;

/** How many exchanges a session's timeline keeps: the vault drops the oldest beyond it, and the page does the same. */
export const TIMELINE_MAX_EXCHANGES = 200;

export const sessionDtoSchema = z.object({
  serverNow: z.number(),
  /** A short hash of the session id (never the id): tells sessions apart, null before the first token. */
  sessionTag: z.string().nullable().default(null),
  tokens: z.array(tokenDtoSchema),
  exchanges: z.array(exchangeDtoSchema),
  /**
   * Set when `exchanges` holds only the exchanges recorded after this one, which the page already has (a token answer
   * to a page that said what it holds); absent, `exchanges` is the whole timeline.
   */
  exchangesAfter: z.string().optional(),
  /** Authorization callbacks that failed since the last look, explained (shown once). */
  flowErrors: z.array(z.object({ providerId: z.string(), error: apiErrorSchema })).default([]),
  /** Tokens the provider ended since they were issued (revoked refresh), kept as history only. */
  endedTokens: z.array(endedTokenDtoSchema).default([]),
  /** Simulated failures switched on in this session, per provider (only providers with some). */
  simulations: z.array(simulationsDtoSchema).default([]),
});
export type SessionDto = z.infer<typeof sessionDtoSchema>;

/** Who is using the console, as the page shell renders it (a Server Component prop, never fetched). */
export type ConsoleViewer =
  | { signIn: 'off' }
  | { signIn: 'on'; user: { name: string; email: string | null; providerName: string } };

export const tokenRequestSchema = z.object({
  environmentId: z.string().min(1).max(64),
  credential: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('preset'), presetId: z.string().min(1).max(64) }),
    z.object({
      kind: z.literal('custom'),
      clientId: z.string().trim().min(1, 'Enter a client ID').max(512),
      clientSecret: z.string().min(1, 'Enter a client secret').max(4096),
    }),
  ]),
  /** Mint a new token even when a live one could be reused. */
  forceNew: z.boolean().default(false),
  /** For providers that take either (Candid): the token request's body format. */
  bodyFormat: z.enum(['form', 'json']).optional(),
  /** private_key_jwt only: send a deliberately broken client assertion to see the rejection explained. */
  assertionFault: assertionFaultSchema.optional(),
  /** The newest exchange the page holds: the answer's session then carries only what was recorded after it. */
  sessionAfter: z.string().max(128).optional(),
});
export type TokenRequest = z.input<typeof tokenRequestSchema>;

/** What the provider's RFC 7662 introspection said of the session's token (the token itself stays server-side). */
export const introspectionDtoSchema = z.object({
  active: z.boolean(),
  claims: z.record(z.string(), z.unknown()),
  exchangeId: z.string(),
  checkedAt: z.number(),
});
export type IntrospectionDto = z.infer<typeof introspectionDtoSchema>;

/** `POST /api/conformance/{providerId}` (issue #18): which server and credential to check, and which groups (all when absent). */
export const conformanceRunRequestSchema = tokenRequestSchema.pick({ environmentId: true, credential: true }).extend({
  groups: z.array(checkGroupSchema).min(1).max(checkGroupSchema.options.length).optional(),
});
export type ConformanceRunRequest = z.input<typeof conformanceRunRequestSchema>;

export const authorizeRequestSchema = tokenRequestSchema.pick({ environmentId: true, credential: true });
export type AuthorizeRequest = z.input<typeof authorizeRequestSchema>;

export const authorizeResponseSchema = z.object({ authorizeUrl: z.string(), redirectUri: z.string() });
export type AuthorizeResponse = z.infer<typeof authorizeResponseSchema>;

/** A new or refreshed token, and the session it leaves (timeline, ended tokens …), so the page needs no second read. */
export const tokenResponseDtoSchema = z.object({ token: tokenDtoSchema, serverNow: z.number(), session: sessionDtoSchema });
export type TokenResponseDto = z.infer<typeof tokenResponseDtoSchema>;

/** A header name is an RFC 9110 §5.1 token. */
const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/** RFC 9110 §5.5: a field value never holds CR, LF or NUL, which would end the header (request splitting). */
const httpHeaderValueSchema = z
  .string()
  .max(1024)
  .refine((value) => !/[\r\n\0]/.test(value), 'A header value cannot contain a line break (CR or LF) or NUL (RFC 9110 §5.5).');

export const fhirProxyRequestSchema = z.object({
  /** Defaults to the environment of the session's live token for this provider, else the built-in sandbox. */
  environmentId: z.string().min(1).max(64).optional(),
  /** Without a token: whose endpoints to use when a preset's flow lives elsewhere (1upHealth Patient Access). */
  presetId: z.string().min(1).max(64).optional(),
  method: z.enum(['GET', 'POST', 'DELETE']).default('GET'),
  /** Relative to the environment's origin, e.g. `/api/v2/metadata`; absolute URLs are refused. */
  path: z.string().min(1).max(2048),
  headers: z
    .record(z.string(), httpHeaderValueSchema)
    .refine((headers) => Object.keys(headers).every((name) => HTTP_HEADER_NAME.test(name)), 'A header name is letters, digits and !#$%&\'*+.^_`|~- only (RFC 9110 §5.1).')
    .default({}),
  body: z.string().max(1_000_000).optional(),
  /** For NDJSON responses: how many lines to return; the rest of the stream is not read. */
  previewLines: z.number().int().min(1).max(200).default(20),
});
export type FhirProxyRequest = z.input<typeof fhirProxyRequestSchema>;

export const fhirProxyResponseSchema = z.object({
  status: z.number().int(),
  statusText: z.string(),
  headers: headerListSchema,
  durationMs: z.number(),
  url: z.string(),
  contentType: z.string().nullable(),
  bodyKind: z.enum(['json', 'ndjson', 'text', 'empty']),
  json: z.unknown().optional(),
  text: z.string().optional(),
  ndjson: z
    .object({
      lines: z.array(z.unknown()),
      linesShown: z.number().int(),
      bytesRead: z.number().int(),
      /** True when the file continues past the preview. */
      truncated: z.boolean(),
    })
    .optional(),
  exchangeId: z.string(),
  /** Bytes of body read (for an NDJSON preview, only what the preview read). */
  size: z.number().int().nonnegative(),
});
export type FhirProxyResponse = z.infer<typeof fhirProxyResponseSchema>;

/** `POST /api/fhir/{providerId}/download`: one file streamed through the BFF with the session's token. */
export const fhirDownloadRequestSchema = fhirProxyRequestSchema.pick({ environmentId: true, presetId: true, path: true });
export type FhirDownloadRequest = z.input<typeof fhirDownloadRequestSchema>;

/**
 * How a download answered: `stream` (the upstream said 2xx and its body follows as is) or `response` (the upstream
 * said something else, and the body is a `FhirProxyResponse` describing it, e.g. a 401 OperationOutcome).
 */
export const DOWNLOAD_KIND_HEADER = 'x-console-download';
export const DOWNLOAD_EXCHANGE_HEADER = 'x-console-exchange-id';
export const DOWNLOAD_UPSTREAM_STATUS_HEADER = 'x-upstream-status';
