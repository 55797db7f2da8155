import { z } from 'zod';

/**
 * SECURITY.md rule 15 (issue #13, item 4): a saved client secret, and the use of a saved signing key, belong to the
 * server they were saved for. That server is three origins: the discovery URL's (its metadata chooses every
 * endpoint), the token endpoint's (where the secret or the signed assertion is sent) and the FHIR base's (where the
 * tokens they get are sent). An edit that changes any of them asks for the secret again, or for the key to be
 * confirmed for the new server; a flow never sends them anywhere else.
 */

export const credentialBindingSchema = z.object({
  discovery: z.string(),
  token: z.string(),
  fhir: z.string(),
});
export type CredentialBinding = z.infer<typeof credentialBindingSchema>;
export type BindingRole = keyof CredentialBinding;

const ROLES: readonly BindingRole[] = ['token', 'discovery', 'fhir'];

export const bindingRoleNames: Record<BindingRole, string> = {
  discovery: 'discovery URL',
  token: 'token endpoint',
  fhir: 'FHIR base URL',
};

/** One origin of the server that an edit (or a record) changes. */
export interface BindingChange {
  role: BindingRole;
  was: string;
  now: string;
}

/** The origins of a server's URLs; a URL that does not parse stands as itself, so it never equals a real origin. */
export function credentialBindingOf(urls: { discoveryUrl: string; tokenEndpoint: string; fhirBaseUrl: string }): CredentialBinding {
  return { discovery: originOf(urls.discoveryUrl), token: originOf(urls.tokenEndpoint), fhir: originOf(urls.fhirBaseUrl) };
}

/** The roles whose origin differs, token endpoint first; only the roles `next` names are compared. */
export function bindingChanges(saved: CredentialBinding, next: Partial<CredentialBinding>): BindingChange[] {
  return ROLES.flatMap((role) => {
    const now = next[role];
    return now !== undefined && now !== saved[role] ? [{ role, was: saved[role], now }] : [];
  });
}

/**
 * Words for a change of server: "http://a (token endpoint and discovery URL)" for the saved side and the new side,
 * grouping the roles that share an origin.
 */
export function describeServers(changes: readonly BindingChange[]): { was: string; now: string } {
  const side = (pick: (change: BindingChange) => string) => {
    const byOrigin = new Map<string, BindingRole[]>();
    for (const change of changes) byOrigin.set(pick(change), [...(byOrigin.get(pick(change)) ?? []), change.role]);
    return [...byOrigin].map(([origin, roles]) => `${origin} (${listOf(roles.map((role) => bindingRoleNames[role]))})`).join(', ');
  };
  return { was: side((c) => c.was), now: side((c) => c.now) };
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function originOf(url: string): string {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? url : origin;
  } catch {
    return url;
  }
}
