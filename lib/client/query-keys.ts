/** Query-key factory: one root per resource so invalidation can target a whole resource or one entry. */
export const queryKeys = {
  providers: {
    all: ['providers'] as const,
  },
  session: {
    all: ['session'] as const,
  },
  fhir: {
    all: ['fhir'] as const,
    /** The resource types a FHIR base declares (its CapabilityStatement), per provider, environment and credential set. */
    resourceTypes: (providerId: string, environmentId: string, presetId: string | undefined, basePath: string) =>
      ['fhir', 'resource-types', providerId, environmentId, presetId ?? null, basePath] as const,
  },
  /** The user's saved custom (discovered) providers, issue #8. */
  customProviders: {
    all: ['custom-providers'] as const,
  },
  /** The user's client keys (private_key_jwt) and their JWKS URL; only public halves ever enter the cache. */
  clientKeys: {
    all: ['client-keys'] as const,
  },
  /** The conformance check catalogue (issue #18): the same for every provider and session. */
  conformance: {
    catalogue: ['conformance', 'catalogue'] as const,
  },
} as const;
