import type { ProviderDto } from '@/lib/contract/schemas';

/** What the page calls a provider's API: FHIR, or the provider's own JSON API (its provider file's `apiKind`). */
export function apiNames(apiKind: ProviderDto['apiKind']): { workbench: string; base: string } {
  return apiKind === 'fhir' ? { workbench: 'FHIR workbench', base: 'FHIR base' } : { workbench: 'API workbench', base: 'API base' };
}
