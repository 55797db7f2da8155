import 'server-only';
import { timingSafeEqual, createHash } from 'node:crypto';
import { z } from 'zod';
import { oneuphealth } from '@/lib/providers/oneuphealth';
import { deterministicUuid } from '../shared/hash';

/** The client scope of the seed: one Keycloak client-scope name that contains a pipe. */
export const bulkDataScope = 'bulk-data|user/*.rs';
/** Payer-to-Payer's extra client scope (PROVIDERS.md: the scope "starts member-match…"; the rest is unconfirmed). */
export const memberMatchScope = 'member-match';
/** Default client scopes of a Keycloak realm, granted to every token whether asked for or not. */
export const keycloakDefaultScopes = ['profile', 'email'] as const;

/** A confidential service-account client of the `dev-portal` realm, derived from a provider preset. */
export interface KeycloakClient {
  presetId: string;
  clientId: string;
  clientSecret: string;
  /** The service-account user's id: the token's `sub`. */
  serviceAccountId: string;
  tenant: string;
  /** The member group this client's searches and exports are limited to. */
  groupId: string;
  /** Optional client scopes the client may ask for. */
  optionalScopes: readonly string[];
}

/** The demo plan's registered third-party app (Patient Access). */
export interface PatientAccessApp {
  presetId: string;
  clientId: string;
  clientSecret: string;
  name: string;
}

/** A member login of the demo plan's sign-in page. */
export interface DemoPlanUser {
  memberId: string;
  password: string;
}

const bulkFactsSchema = z.object({ tenant: z.string(), group: z.string(), api: z.string() });

function isClientCredentialsPreset(preset: (typeof oneuphealth.presets)[number]): boolean {
  return (preset.grant?.grantType ?? oneuphealth.grant.grantType) === 'client_credentials';
}

/** Every dev-portal client the built-in Keycloak realm knows: the provider file's client-credentials presets. */
export const keycloakClients: readonly KeycloakClient[] = oneuphealth.presets
  .filter((preset) => preset.environments.includes('builtin') && isClientCredentialsPreset(preset))
  .map((preset) => {
    const facts = bulkFactsSchema.parse(preset.facts);
    return {
      presetId: preset.id,
      clientId: preset.clientId,
      clientSecret: preset.clientSecret,
      serviceAccountId: deterministicUuid(`dev-portal/service-account/${preset.clientId}`),
      tenant: facts.tenant,
      groupId: facts.group,
      optionalScopes: facts.api === 'Payer-to-Payer' ? [bulkDataScope, memberMatchScope] : [bulkDataScope],
    };
  });

const patientAccessPresets = oneuphealth.presets.filter(
  (preset) => preset.environments.includes('builtin') && preset.grant?.grantType === 'authorization_code',
);

/** The demo plan's registered apps: the provider file's authorization-code presets. */
export const patientAccessApps: readonly PatientAccessApp[] = patientAccessPresets.map((preset) => ({
  presetId: preset.id,
  clientId: preset.clientId,
  clientSecret: preset.clientSecret,
  name: preset.label,
}));

/** The member logins the demo plan accepts: the Patient Access preset's sandbox users. */
export const demoPlanUsers: readonly DemoPlanUser[] = patientAccessPresets.flatMap((preset) =>
  preset.sandboxUsers.map((user) => ({ memberId: user.username, password: user.password })),
);

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compares two strings in time independent of where they differ (fixed-length digests). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function findKeycloakClient(clientId: string): KeycloakClient | undefined {
  return keycloakClients.find((client) => client.clientId === clientId);
}

export function findPatientAccessApp(clientId: string): PatientAccessApp | undefined {
  return patientAccessApps.find((app) => app.clientId === clientId);
}

/** The user whose member id and password both match; member ids compare case-insensitively, as plan logins do. */
export function findDemoPlanUser(memberId: string, password: string): DemoPlanUser | undefined {
  const user = demoPlanUsers.find((candidate) => candidate.memberId.toLowerCase() === memberId.trim().toLowerCase());
  // Compare against a dummy when the member is unknown so both failures take the same time.
  const matches = secretsEqual(password, user?.password ?? '\u0000no-such-member');
  return user && matches ? user : undefined;
}
