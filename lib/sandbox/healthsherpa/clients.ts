import 'server-only';
import { healthsherpa } from '@/lib/providers/healthsherpa';
import { deterministicUuid } from '../shared/hash';
import { createCredentialMatcher, digestsEqual, sha256 } from '../shared/credentials';

/** A partner application registered with the sandbox (a Doorkeeper `oauth_applications` row). */
export interface HealthSherpaApp {
  presetId: string;
  /** Doorkeeper's `uid`. */
  clientId: string;
  clientSecret: string;
  /** Shown on the consent screen. */
  name: string;
}

/** A HealthSherpa agent who can sign in on the authorize page; contacts belong to agents. */
export interface HealthSherpaAgent {
  /** Stable per email: contacts are seeded from it. */
  id: string;
  email: string;
  password: string;
  name: string;
  agency: string;
}

/** Every partner app the built-in sandbox knows: the provider file's built-in presets. */
export const healthsherpaApps: readonly HealthSherpaApp[] = healthsherpa.presets
  .filter((preset) => preset.environments.includes('builtin'))
  .map((preset) => ({ presetId: preset.id, clientId: preset.clientId, clientSecret: preset.clientSecret, name: preset.label }));

// Display names for the demo logins; an unlisted login is named after its email.
const agentProfiles: Record<string, { name: string; agency: string }> = {
  'agent@demo-agency.test': { name: 'Avery Quinn', agency: 'Demo Agency' },
  'broker@demo-agency.test': { name: 'Jordan Blake', agency: 'Demo Agency' },
};

function normalizeEmail(email: string): string {
  // Devise's default: emails are case-insensitive and stripped.
  return email.trim().toLowerCase();
}

/** Every agent login: the sandbox users of the built-in presets, once each. */
export const healthsherpaAgents: readonly HealthSherpaAgent[] = [
  ...new Map(
    healthsherpa.presets
      .filter((preset) => preset.environments.includes('builtin'))
      .flatMap((preset) => preset.sandboxUsers)
      .map((user) => {
        const email = normalizeEmail(user.username);
        const profile = Object.hasOwn(agentProfiles, email) ? agentProfiles[email] : undefined;
        const agent: HealthSherpaAgent = {
          id: deterministicUuid(`healthsherpa-agent:${email}`),
          email,
          password: user.password,
          name: profile?.name ?? email.split('@')[0] ?? email,
          agency: profile?.agency ?? 'Demo Agency',
        };
        return [email, agent] as const;
      }),
  ).values(),
];

/** The app with this client id, whatever the secret: the authorize endpoint identifies clients by id only. */
export function findApp(clientId: string): HealthSherpaApp | undefined {
  return healthsherpaApps.find((app) => app.clientId === clientId);
}

/**
 * The app whose id and secret both match, compared in constant time against every app so the response time
 * does not reveal which part was wrong (Doorkeeper: `Application.by_uid_and_secret`).
 */
export const authenticateApp: (clientId: string, clientSecret: string) => Promise<HealthSherpaApp | undefined> =
  createCredentialMatcher(healthsherpaApps);

/** The agent with this email and password, or undefined; every agent is compared so timing says nothing. */
export async function authenticateAgent(email: string, password: string): Promise<HealthSherpaAgent | undefined> {
  const givenEmail = await sha256(normalizeEmail(email));
  const givenPassword = await sha256(password);
  let found: HealthSherpaAgent | undefined;
  for (const agent of healthsherpaAgents) {
    const emailMatches = digestsEqual(givenEmail, await sha256(agent.email));
    const passwordMatches = digestsEqual(givenPassword, await sha256(agent.password));
    if (emailMatches && passwordMatches) found = agent;
  }
  return found;
}

/** The agent a token or pending authorization refers to. */
export function findAgent(agentId: string): HealthSherpaAgent | undefined {
  return healthsherpaAgents.find((agent) => agent.id === agentId);
}
