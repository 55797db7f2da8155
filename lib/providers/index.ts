import 'server-only';
import { bcda } from './bcda';
import { bluebutton } from './bluebutton';
import { candid } from './candid';
import { healthsherpa } from './healthsherpa';
import { oneuphealth } from './oneuphealth';
import { smart } from './smart';
import type { Environment, Provider } from './schema';

/** Every provider the console knows, in the order the picker shows them. */
export const providers: readonly Provider[] = [bcda, bluebutton, candid, oneuphealth, healthsherpa, smart];

export function getProvider(id: string): Provider | undefined {
  return providers.find((p) => p.id === id);
}

export function getEnvironment(provider: Provider, environmentId: string): Environment | undefined {
  return provider.environments.find((e) => e.id === environmentId);
}

/** The grant a token's credential set uses: the preset's own, or the provider's default. */
export function grantOf(provider: Provider, presetId: string | undefined) {
  return provider.presets.find((p) => p.id === presetId)?.grant ?? provider.grant;
}
