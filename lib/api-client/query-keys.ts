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
  },
} as const;
