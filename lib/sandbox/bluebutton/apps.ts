import 'server-only';
import { bluebutton } from '@/lib/providers/bluebutton';
import { createCredentialMatcher } from '../shared/credentials';
import { demographicScopes, expandAppScopes } from './scopes';

/** A sandbox application the emulator knows: one of the provider file's built-in presets. */
export interface BlueButtonApp {
  presetId: string;
  /** Shown on the login and consent pages. */
  name: string;
  clientId: string;
  clientSecret: string;
  /** The scopes the app was registered for; it asks for these when `scope` is absent. */
  defaultScopes: readonly string[];
  /** Everything it may be granted, `.read` forms included. */
  allowedScopes: ReadonlySet<string>;
  /** "Does my application need to collect enrollee demographic data?" Yes: the consent page offers the choice. */
  requiresDemographic: boolean;
}

function toApp(preset: (typeof bluebutton.presets)[number]): BlueButtonApp {
  const scopes = (preset.grant ?? bluebutton.grant).scopes;
  return {
    presetId: preset.id,
    name: preset.label,
    clientId: preset.clientId,
    clientSecret: preset.clientSecret,
    defaultScopes: scopes,
    allowedScopes: expandAppScopes(scopes),
    requiresDemographic: scopes.some((scope) => demographicScopes.has(scope)),
  };
}

/** The demo apps registered in the built-in sandbox. */
export const blueButtonApps: readonly BlueButtonApp[] = bluebutton.presets
  .filter((preset) => preset.environments.includes('builtin'))
  .map(toApp);

/** The demo app registered under `clientId`, if any (public information: no secret involved). */
export function findAppByClientId(clientId: string | null | undefined): BlueButtonApp | undefined {
  return clientId ? blueButtonApps.find((app) => app.clientId === clientId) : undefined;
}

/** The app whose client id and secret both match, checked against every app in constant time. */
export const authenticateApp: (clientId: string, clientSecret: string) => Promise<BlueButtonApp | undefined> =
  createCredentialMatcher(blueButtonApps);
