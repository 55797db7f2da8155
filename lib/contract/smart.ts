import { z } from 'zod';

/**
 * What the browser and the BFF exchange about custom (discovered) SMART/OAuth providers and the console's client
 * keys (issue #8). Secrets never appear here: a saved client secret is only `hasClientSecret`, a private key only
 * its public half.
 */

/** The client configuration a user intends, checked against what a server advertises (lib/smart/config-checks). */
export const intendedConfigurationSchema = z.object({
  grant: z.enum(['authorization_code', 'client_credentials']).describe('client_credentials = SMART Backend Services'),
  clientAuth: z.enum(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']),
  pkce: z.enum(['S256', 'plain', 'none']),
  assertionAlg: z.enum(['RS384', 'ES384']).optional().describe('Signing algorithm of the client assertion (private_key_jwt)'),
  scopes: z.array(z.string().max(512)).max(200),
  redirectUri: z.string().max(2048).optional(),
  launch: z.enum(['standalone', 'ehr']),
  /** RFC 9449: sender-constrain the tokens with DPoP proofs from a key the console keeps server-side. */
  dpop: z.boolean().optional(),
  /** RFC 9126: push the authorization request when the server offers it (the default), or `never` (through the browser). */
  par: z.enum(['when_offered', 'never']).optional(),
});
export type IntendedConfiguration = z.infer<typeof intendedConfigurationSchema>;

const severitySchema = z.enum(['error', 'warning', 'info']);
/** The discovery documents the console reads. */
export const documentKindSchema = z.enum(['smart-configuration', 'openid-configuration']);
export type DocumentKind = z.infer<typeof documentKindSchema>;

/** The endpoint fields discovery reads (SMART App Launch 2.x §Using well-known, RFC 8414 §2, OIDC Discovery §3). */
export const ENDPOINT_FIELDS = [
  'authorization_endpoint',
  'token_endpoint',
  'jwks_uri',
  'introspection_endpoint',
  'revocation_endpoint',
  'registration_endpoint',
  'management_endpoint',
  'userinfo_endpoint',
  'pushed_authorization_request_endpoint',
] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];

/** The list fields discovery reads. */
export const LIST_FIELDS = [
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'token_endpoint_auth_signing_alg_values_supported',
  'code_challenge_methods_supported',
  'scopes_supported',
  'capabilities',
  'response_types_supported',
  'dpop_signing_alg_values_supported',
] as const;
export type ListField = (typeof LIST_FIELDS)[number];

/** The boolean fields discovery reads (RFC 9126 §5). */
export const BOOLEAN_FIELDS = ['require_pushed_authorization_requests'] as const;
export type BooleanField = (typeof BOOLEAN_FIELDS)[number];

const metadataFields = ['issuer', ...ENDPOINT_FIELDS, ...LIST_FIELDS, ...BOOLEAN_FIELDS] as const;

/** The merged server metadata, snake_case as in the documents: what the BFF keeps and the page shows. */
export const discoveredServerSchema = z.object({
  issuer: z.string().optional(),
  ...Object.fromEntries(ENDPOINT_FIELDS.map((field) => [field, z.string().optional()])) as Record<EndpointField, z.ZodOptional<z.ZodString>>,
  ...Object.fromEntries(LIST_FIELDS.map((field) => [field, z.array(z.string()).optional()])) as Record<ListField, z.ZodOptional<z.ZodArray<z.ZodString>>>,
  ...Object.fromEntries(BOOLEAN_FIELDS.map((field) => [field, z.boolean().optional()])) as Record<BooleanField, z.ZodOptional<z.ZodBoolean>>,
  /** SMART permission grammars the server says it accepts (from `permission-v1` / `permission-v2`). */
  smart_versions: z.array(z.enum(['v1', 'v2'])),
  /** Which documents said each field; the SMART configuration wins where they disagree. */
  sources: z.partialRecord(z.enum(metadataFields), z.array(documentKindSchema)),
});
export type DiscoveredServerDto = z.infer<typeof discoveredServerSchema>;

export const discoveryFindingSchema = z.object({
  severity: severitySchema,
  code: z.string(),
  message: z.string(),
  field: z.string().optional(),
  source: documentKindSchema.optional(),
});

export const discoveryDocumentSchema = z.object({
  kind: documentKindSchema,
  url: z.string(),
  status: z.enum(['ok', 'not_found', 'http_error', 'redirect', 'not_json', 'timeout', 'unreachable', 'refused']),
  httpStatus: z.number().optional(),
  location: z.string().optional(),
  message: z.string().optional(),
  problems: z.array(z.object({ field: z.string(), problem: z.enum(['missing', 'malformed']), detail: z.string() })),
  /** The exchange in the session timeline that fetched it. */
  exchangeId: z.string().optional(),
});

export const discoveryDtoSchema = z.object({
  ok: z.boolean(),
  /** The URL the documents were read under. */
  base: z.string().optional(),
  refused: z.object({ code: z.string(), message: z.string() }).optional(),
  documents: z.array(discoveryDocumentSchema),
  server: discoveredServerSchema.nullable(),
  disagreements: z.array(
    z.object({ field: z.string(), values: z.array(z.object({ source: documentKindSchema, value: z.union([z.string(), z.array(z.string()), z.boolean()]) })) }),
  ),
  findings: z.array(discoveryFindingSchema),
});
export type DiscoveryDto = z.infer<typeof discoveryDtoSchema>;

export const discoverRequestSchema = z.object({
  url: z.string().trim().min(1, 'Type an issuer or FHIR base URL').max(2048),
});

export const configFindingSchema = z.object({
  severity: severitySchema,
  code: z.string(),
  message: z.string(),
  fix: z.string(),
  field: z.string().optional(),
});
export type ConfigFindingDto = z.infer<typeof configFindingSchema>;

export const customProviderIdSchema = z.string().regex(/^custom-[a-z0-9]{10}$/, 'a custom provider id');

/** What the form sends to save a custom provider. The BFF discovers the server again itself; it trusts no metadata from the page. */
export const customProviderInputSchema = z.object({
  name: z.string().trim().min(1, 'Give the provider a name').max(80),
  /** The issuer or FHIR base URL the user typed and discovered. */
  discoveryUrl: z.string().trim().min(1).max(2048),
  /** Where FHIR requests go; defaults to `discoveryUrl`. */
  fhirBaseUrl: z.string().trim().max(2048).optional(),
  environmentKind: z.enum(['sandbox', 'production']).default('sandbox'),
  clientId: z.string().trim().min(1, 'The client id the provider registered').max(512),
  /**
   * Write-only. On update, absent (or empty) keeps the saved one while the server stays the same; an update that
   * points the provider at another server needs it again (SECURITY.md rule 15).
   */
  clientSecret: z.string().max(4096).optional(),
  /** private_key_jwt: the kid of the console key that signs the assertions. */
  keyKid: z.string().max(128).optional(),
  /**
   * private_key_jwt, on update: the user confirmed that the key may sign for the server this save points to, when
   * it differs from the server the key was confirmed for (SECURITY.md rule 15). A new secret is its own confirmation.
   */
  keyConfirmedForNewServer: z.boolean().optional(),
  config: intendedConfigurationSchema,
});
export type CustomProviderInput = z.input<typeof customProviderInputSchema>;

export const customProviderDtoSchema = z.object({
  id: customProviderIdSchema,
  name: z.string(),
  discoveryUrl: z.string(),
  fhirBaseUrl: z.string(),
  /** `builtin` when the server is one of this console's built-in sandboxes. */
  environmentKind: z.enum(['sandbox', 'production', 'builtin']),
  clientId: z.string(),
  hasClientSecret: z.boolean(),
  keyKid: z.string().optional(),
  config: intendedConfigurationSchema,
  server: discoveredServerSchema,
  /** The configuration checks as of the last save. */
  findings: z.array(configFindingSchema),
  /** The redirect URI to register at the provider for authorization-code flows. */
  redirectUri: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomProviderDto = z.infer<typeof customProviderDtoSchema>;

export const customProvidersResponseSchema = z.object({ providers: z.array(customProviderDtoSchema) });
export const customProviderResponseSchema = z.object({ provider: customProviderDtoSchema });

/** RFC 7591 registration of a private_key_jwt client at a discovered server, with the console's JWKS URL. */
export const registerClientRequestSchema = z.object({
  discoveryUrl: z.string().trim().min(1).max(2048),
  clientName: z.string().trim().min(1).max(80).default('Health API console'),
  grant: z.enum(['authorization_code', 'client_credentials']),
  scopes: z.array(z.string().max(512)).max(200),
  /** An app client (authorization code) registers the redirect URI of this saved provider. */
  providerId: customProviderIdSchema.optional(),
  /** The key the client will sign with: its algorithm is registered as token_endpoint_auth_signing_alg. */
  keyKid: z.string().max(128).optional(),
  /** RFC 9449 §5.2: register the client as one that always sends DPoP proofs. */
  dpopBoundAccessTokens: z.boolean().optional(),
});
export const registerClientResponseSchema = z.object({
  clientId: z.string(),
  registrationEndpoint: z.string(),
  jwksUri: z.string(),
  /** Registered metadata as the server answered it, secrets removed. */
  registered: z.record(z.string(), z.unknown()),
  exchangeId: z.string().optional(),
});
export type RegisterClientResponse = z.infer<typeof registerClientResponseSchema>;

export const clientKeyDtoSchema = z.object({
  kid: z.string(),
  alg: z.enum(['RS384', 'ES384']),
  createdAt: z.string(),
  source: z.enum(['generated', 'imported']),
  /** The public JWK exactly as the JWKS URL publishes it. */
  publicJwk: z.record(z.string(), z.unknown()),
  /** Custom providers that sign with this key. */
  usedBy: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type ClientKeyDto = z.infer<typeof clientKeyDtoSchema>;

export const clientKeysResponseSchema = z.object({
  /** Public URL of this user's JWKS: register it at the provider. */
  jwksUrl: z.string(),
  keys: z.array(clientKeyDtoSchema),
});
export type ClientKeysResponse = z.infer<typeof clientKeysResponseSchema>;

export const clientKeyRequestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('generate'), alg: z.enum(['RS384', 'ES384']) }),
  /** A PEM (PKCS#8, or SPKI refused: a public key cannot sign) or a private JWK as JSON text. */
  z.object({ action: z.literal('import'), material: z.string().min(1, 'Paste a private key').max(16_384), alg: z.enum(['RS384', 'ES384']).optional() }),
]);
export const clientKeyResponseSchema = z.object({ key: clientKeyDtoSchema, jwksUrl: z.string() });

/** The client assertion sent with a token request, decoded (the signed JWT itself stays on the server). */
export const clientAssertionDtoSchema = z.object({
  header: z.record(z.string(), z.unknown()),
  claims: z.record(z.string(), z.unknown()),
});
export type ClientAssertionDto = z.infer<typeof clientAssertionDtoSchema>;

/**
 * A deliberately broken client assertion for one token request (private_key_jwt only), to see how the server
 * rejects it and how the console explains it.
 */
export const assertionFaultSchema = z.enum(['wrong_aud', 'unknown_kid', 'iss_not_sub', 'expired', 'replayed_jti']);
export type AssertionFault = z.infer<typeof assertionFaultSchema>;

/** Short names for a narrow menu; `assertionFaultLabels` says what each sends ("an assertion with …"). */
export const assertionFaultNames: Record<AssertionFault, string> = {
  wrong_aud: 'Wrong aud',
  unknown_kid: 'Unknown kid',
  iss_not_sub: 'iss ≠ sub',
  expired: 'Expired',
  replayed_jti: 'Replayed jti',
};

export const assertionFaultLabels: Record<AssertionFault, string> = {
  wrong_aud: 'an aud of the server’s origin instead of its token URL',
  unknown_kid: 'a kid that is not in your JWKS',
  iss_not_sub: 'an iss that differs from sub',
  expired: 'an exp five minutes in the past',
  replayed_jti: 'the jti of the previous assertion again',
};

// SMART v1: context/Type.(read|write|*). v2: context/Type.cruds (letters in that order) with an optional ?query.
const V1_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.(read|write|\*)$/;
const V2_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{0,63})\.(?=[cruds])c?r?u?d?s?(\?[^\s?]+)?$/;
const RESOURCE_LIKE = /^(patient|user|system)\//;

export type ScopeKind = 'v1' | 'v2' | 'other' | 'malformed';

/** Classifies one scope by the SMART grammars; anything not `context/…` is `other` (servers may define their own). */
export function classifyScope(scope: string): ScopeKind {
  if (V1_SCOPE.test(scope)) return 'v1';
  if (V2_SCOPE.test(scope)) return 'v2';
  if (RESOURCE_LIKE.test(scope)) return 'malformed';
  if (scope === '' || /\s/.test(scope)) return 'malformed';
  return 'other';
}
