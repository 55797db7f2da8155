import 'server-only';
import { z } from 'zod';
import { bulkExportCapabilitySchema } from '@/lib/contract/bulk-export';
import { diagnosticNotesSchema } from '@/lib/contract/schemas';

/**
 * The shape of a provider file. Providers are data, not branches: every quirk the console has to honour
 * (client authentication, a string `expires_in`, a GET token request …) is a field here, read by `lib/oauth`.
 */

export const clientAuthMethodSchema = z
  .enum(['basic', 'form', 'json', 'private_key_jwt', 'none'])
  .describe(
    'How the client authenticates at the token endpoint: HTTP Basic, secret in a form or JSON body, a signed client assertion (RFC 7523, SMART Backend Services) or not at all (a public client).',
  );
export type ClientAuthMethod = z.infer<typeof clientAuthMethodSchema>;

export const environmentKindSchema = z.enum(['builtin', 'sandbox', 'production']);
export type EnvironmentKind = z.infer<typeof environmentKindSchema>;

const pathSchema = z.string().regex(/^\/[^\s]*$/, 'a path starting with "/"');

export const environmentSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: environmentKindSchema,
  label: z.string().min(1),
  /** Absolute origin (https://host) for remote environments; null for the built-in sandbox, resolved at run time. */
  origin: z.url().nullable(),
  /** Where the API lives when it is not on the OAuth host (an `api.` host beside the authorization server). */
  apiOrigin: z.url().optional(),
  tokenPath: pathSchema,
  fhirBasePath: pathSchema,
  authorizePath: pathSchema.optional(),
  /** Where the environment publishes the key that signs its access tokens, when it does. */
  jwksPath: pathSchema.optional(),
  /**
   * Where a provider publishes its signing key as PEM instead of a JWKS (Candid: on its Auth0 tenant, another
   * host). Absolute, configured here, so the BFF may fetch it.
   */
  signingKeyPemUrl: z.url().optional(),
  /** RFC 7662 token introspection, where the provider offers it (Blue Button: opaque tokens). */
  introspectionPath: pathSchema.optional(),
  /**
   * Endpoints on another host than `origin`, as absolute URLs (a discovered server's authorize endpoint or JWKS may
   * live elsewhere); they win over the paths above.
   */
  authorizeUrl: z.url().optional(),
  jwksUrl: z.url().optional(),
  /**
   * RFC 9126 pushed authorization requests: where the environment takes them (a path under `origin`, or absolute
   * for a discovered server), and whether it refuses any other (`require_pushed_authorization_requests`, §5).
   */
  pushedAuthorizationPath: pathSchema.optional(),
  pushedAuthorizationUrl: z.url().optional(),
  requirePushedAuthorizationRequests: z.boolean().default(false),
  /** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: the environment accepts DPoP proofs signed with these. */
  dpopSigningAlgs: z.array(z.string().min(1)).optional(),
  /** Its URLs came from a user (a discovered provider): each connection must reach a public address. */
  userSupplied: z.boolean().default(false),
  /** The issuer identifier (RFC 8414) when known: an `iss` in the authorization response must equal it (RFC 9207). */
  issuer: z.url().optional(),
  /** Paths under the origin that the BFF may call with the session's token (SSRF allowlist). */
  allowedPathPrefixes: z.array(pathSchema).min(1),
  note: z.string().optional(),
});
export type Environment = z.infer<typeof environmentSchema>;

/**
 * What a provider file says when its server is known to refuse PKCE: the only way to leave it out. The console
 * then binds the code another way where it can (an OpenID Connect `nonce`, when `openid` is in the scopes) and
 * otherwise names the risk on the page.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1
 */
export const pkceOptOutSchema = z.object({
  serverRefusesPkce: z.literal(true).describe('The server is known to refuse an authorization request that carries a code_challenge.'),
  reason: z.string().min(1).describe('How that is known: the documentation, an observed refusal, the user’s own configuration.'),
  codeBinding: z
    .enum(['oidc_nonce', 'none'])
    .describe('What binds the code to its browser instead: an OpenID Connect nonce (needs openid in the scopes), or nothing, a risk the page names.'),
});
export type PkceOptOut = z.infer<typeof pkceOptOutSchema>;

export const grantRecipeSchema = z.object({
  grantType: z.enum(['client_credentials', 'authorization_code']),
  clientAuth: clientAuthMethodSchema,
  httpMethod: z.enum(['POST', 'GET']),
  /** `empty` sends no body at all (BCDA): the credentials travel only in the Authorization header. */
  body: z.enum(['empty', 'form', 'json']),
  /** Body formats the user may choose between (Candid takes JSON or form); the first is the default. */
  bodyChoices: z.array(z.enum(['form', 'json'])).optional(),
  /** Sent with every token request, e.g. `{ grant_type: 'client_credentials' }`; empty for BCDA. */
  extraParams: z.record(z.string(), z.string()),
  scopes: z.array(z.string()),
  headers: z.record(z.string(), z.string()),
  /**
   * Authorization code only: PKCE S256 (RFC 7636) on every request, whatever the provider documents (RFC 9700
   * §2.1.1): it binds the code to the run that asked for it. Left out only with a stated refusal.
   */
  pkce: z.union([z.literal('S256'), pkceOptOutSchema]).default('S256'),
  /** Authorization code only: the shortest `state` the provider accepts (Blue Button: 16). */
  stateMinLength: z.number().int().min(0).default(0),
  /** Authorization code only: SMART App Launch's `aud` = the FHIR base URL on the authorize request. */
  smartAudience: z.boolean().default(false),
  /** Authorization code only: extra authorize parameters, e.g. `{ lang: 'en' }`. */
  authorizeParams: z.record(z.string(), z.string()).default({}),
  /** Whether the provider issues refresh tokens and whether each refresh returns a new one (rotation). */
  refresh: z.object({ supported: z.boolean(), rotates: z.boolean() }).default({ supported: false, rotates: false }),
  /**
   * RFC 9449: sender-constrain the tokens with a DPoP proof on every token and resource request, signed by a key the
   * console holds server-side for the session and provider.
   */
  dpop: z.boolean().default(false),
  /** RFC 9126: push the authorization request when the environment takes pushed requests (false: send it through the browser). */
  pushAuthorizationRequests: z.boolean().default(true),
  /** A preset's grant whose tokens live otherwise than the provider's (1upHealth Patient Access: 2 h, not 5 min). */
  documentedTokenLifetimeSeconds: z.number().int().positive().optional(),
}).superRefine((grant, ctx) => {
  if (grant.pkce === 'S256') return;
  // OIDC Core §3.1.2.1: a nonce needs an ID token, so openid; with openid there is no reason to bind nothing.
  const openid = grant.scopes.includes('openid');
  if (grant.pkce.codeBinding === 'oidc_nonce' && !openid) {
    ctx.addIssue({ code: 'custom', path: ['pkce', 'codeBinding'], message: 'oidc_nonce binds the code through the ID token: add openid to the scopes, or say none' });
  }
  if (grant.pkce.codeBinding === 'none' && openid) {
    ctx.addIssue({ code: 'custom', path: ['pkce', 'codeBinding'], message: 'openid is in the scopes: bind the code with oidc_nonce' });
  }
});
export type GrantRecipe = z.infer<typeof grantRecipeSchema>;

/** Where a preset's flow lives when it differs from the provider's (1upHealth Patient Access has its own host). */
export const environmentOverrideSchema = environmentSchema
  .pick({
    origin: true,
    apiOrigin: true,
    tokenPath: true,
    fhirBasePath: true,
    authorizePath: true,
    jwksPath: true,
    introspectionPath: true,
    allowedPathPrefixes: true,
  })
  .partial();
export type EnvironmentOverride = z.infer<typeof environmentOverrideSchema>;

/** A login the built-in sandbox accepts on its authorize page (Blue Button's BBUser00000 / PW00000!). */
export const sandboxUserSchema = z.object({ username: z.string(), password: z.string(), note: z.string().optional() });

export const credentialPresetSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  label: z.string().min(1),
  clientId: z.string().min(1),
  /** Server-side only: the DTO sent to the browser never carries it. Empty for a public or private_key_jwt client. */
  clientSecret: z.string(),
  /** Environments the preset is valid in (sandbox credentials do not work in production). */
  environments: z.array(z.string()).min(1),
  notes: z.string().optional(),
  facts: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** A different grant than the provider's default (1upHealth: client credentials vs Patient Access auth code). */
  grant: grantRecipeSchema.optional(),
  /** Per-environment endpoint overrides for this preset's flow, keyed by environment id. */
  environmentOverrides: z.record(z.string(), environmentOverrideSchema).default({}),
  /**
   * The client metadata the built-in sandbox registers this demo app with (RFC 9449 §5.2, RFC 9126 §6): a client that
   * must send DPoP proofs, and one that must push its authorization requests.
   */
  sandboxRegistration: z
    .object({ dpop_bound_access_tokens: z.boolean().default(false), require_pushed_authorization_requests: z.boolean().default(false) })
    .default({ dpop_bound_access_tokens: false, require_pushed_authorization_requests: false }),
  /** Logins shown as hints for the built-in sandbox's authorize page. */
  sandboxUsers: z.array(sandboxUserSchema).default([]),
});
export type CredentialPreset = z.infer<typeof credentialPresetSchema>;

/**
 * Where an example sits in the workbench's library: `discovery` (CapabilityStatement, SMART and OpenID
 * configuration), `data` (search and read), `write`, `account` (token check, userinfo), `bulk` (kick-offs, jobs).
 */
export const requestGroupSchema = z.enum(['discovery', 'data', 'write', 'account', 'bulk']);
export type RequestGroup = z.infer<typeof requestGroupSchema>;

export const defaultRequestSchema = z.object({
  id: z.string(),
  label: z.string(),
  /** Left out: `bulk` for a kick-off, else `data`. `discovery` requests need no token. */
  group: requestGroupSchema.optional(),
  method: z.enum(['GET', 'POST', 'DELETE']),
  path: pathSchema,
  headers: z.record(z.string(), z.string()).default({}),
  description: z.string(),
  /** A bulk kick-off: the page follows the job it starts. */
  bulkExport: z.boolean().default(false),
  /** A request body for POST examples (HealthSherpa's contact create). */
  body: z.string().optional(),
});
export type DefaultRequest = z.infer<typeof defaultRequestSchema>;


export const knownDeviationSchema = z.object({
  /** Matches `TokenDeviation.code` from the token-response parser where the deviation is detectable there. */
  code: z.string(),
  summary: z.string(),
  detail: z.string(),
  source: z.string().optional(),
  /**
   * For a deviation from FHIR R4: the R4 JSON-schema problems (`ResourceType path: message`) it explains, read from the
   * provider's own published responses, so the conformance check calls exactly those `known`.
   */
  r4Problems: z.array(z.string()).optional(),
});
export type KnownDeviation = z.infer<typeof knownDeviationSchema>;

export const providerSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  summary: z.string(),
  docs: z.array(z.object({ label: z.string(), url: z.url() })),
  environments: z.array(environmentSchema).min(1),
  grant: grantRecipeSchema,
  /** Token lifetime the provider documents, in seconds; used when a response omits `expires_in`. */
  documentedTokenLifetimeSeconds: z.number().int().positive(),
  tokenFormat: z.enum(['jwt', 'opaque']),
  /** Provider guidance on reusing tokens (BCDA rate-limits minting and asks clients to cache). */
  tokenReuse: z.object({ reuseLiveToken: z.boolean(), reason: z.string() }),
  presets: z.array(credentialPresetSchema),
  /** It follows SMART App Launch: `.well-known/smart-configuration`, `aud`, launch context (the conformance checks hold it to them). */
  smartAppLaunch: z.boolean().default(false),
  /** What the API behind the token speaks: FHIR, or the provider's own JSON (Candid, HealthSherpa). */
  apiKind: z.enum(['fhir', 'json']).default('fhir'),
  allowCustomCredentials: z.boolean(),
  defaultRequests: z.array(defaultRequestSchema),
  /** Bulk `$export` as the kick-off form offers it; absent for providers without bulk export. */
  bulkExport: bulkExportCapabilitySchema.optional(),
  knownDeviations: z.array(knownDeviationSchema),
  /**
   * What the provider's own token claims and token-response fields mean, shown beside the decoded claims and the
   * response's fields (over the console's generic words for standard ones).
   */
  claimGlossary: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** The provider's rules and wording for the page's diagnoses (see `DiagnosticNotes`). */
  diagnosticNotes: diagnosticNotesSchema.default({}),
});
export type Provider = z.infer<typeof providerSchema>;
export type ProviderInput = z.input<typeof providerSchema>;
