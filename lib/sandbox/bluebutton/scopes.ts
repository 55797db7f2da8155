import 'server-only';
/**
 * Blue Button's scopes: what the server advertises, which of them are "personal info" the beneficiary may
 * withhold, and what each lets an app read.
 * @see ../shared/PROVIDERS.md "Scopes and deselection"
 */

/** `SCOPES_SUPPORTED` in bluebutton-web-server `apps/wellknown/constants.py`, in its order. */
export const scopesSupported = [
  'openid',
  'profile',
  'launch/patient',
  'patient/Patient.read',
  'patient/ExplanationOfBenefit.read',
  'patient/Coverage.read',
  'patient/Patient.rs',
  'patient/ExplanationOfBenefit.rs',
  'patient/Coverage.rs',
] as const;

const supported = new Set<string>(scopesSupported);

/** `BENE_PERSONAL_INFO_SCOPES`: dropped when the beneficiary unticks "Share my demographic info". */
export const demographicScopes: ReadonlySet<string> = new Set(['profile', 'patient/Patient.read', 'patient/Patient.rs']);

/** The resource types Blue Button v2 serves. */
export type FhirResourceType = 'Patient' | 'Coverage' | 'ExplanationOfBenefit';

/** Space-separated scope string to a de-duplicated list, in order (RFC 6749 §3.3). */
export function parseScope(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter((scope) => scope.length > 0))];
}

/** Whether Blue Button knows the scope at all (`scopes_supported`). */
export function isSupportedScope(scope: string): boolean {
  return supported.has(scope);
}

/** Whether the granted scopes let the app read `type`: SMART v1 `.read` or v2 `.rs`. */
export function canRead(scopes: readonly string[], type: FhirResourceType): boolean {
  return scopes.includes(`patient/${type}.rs`) || scopes.includes(`patient/${type}.read`);
}

/** Everything an app registered for `scopes` may be granted: its `.rs` scopes also in their SMART v1 `.read` form. */
export function expandAppScopes(scopes: readonly string[]): Set<string> {
  const out = new Set(scopes);
  for (const scope of scopes) if (scope.endsWith('.rs')) out.add(`${scope.slice(0, -3)}.read`);
  if (scopes.some((scope) => scope.startsWith('patient/'))) out.add('launch/patient');
  return out;
}

/** What the consent page says each scope shares. */
export const scopeDescriptions: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are to the app (your Medicare account id)',
  profile: 'Your name and email address',
  'launch/patient': 'Your Medicare patient id',
  'patient/Patient.read': 'Your demographic info: name, address, date of birth, race and sex',
  'patient/Patient.rs': 'Your demographic info: name, address, date of birth, race and sex',
  'patient/ExplanationOfBenefit.read': 'Your Medicare claims: hospital (Part A), medical (Part B) and prescription drug (Part D)',
  'patient/ExplanationOfBenefit.rs': 'Your Medicare claims: hospital (Part A), medical (Part B) and prescription drug (Part D)',
  'patient/Coverage.read': 'Your Medicare coverage: Part A, B and D enrollment',
  'patient/Coverage.rs': 'Your Medicare coverage: Part A, B and D enrollment',
};

/** Whether `/connect/userinfo` may answer: the OpenID Connect `profile` scope. */
export function canReadProfile(scopes: readonly string[]): boolean {
  return scopes.includes('profile');
}
