import 'server-only';
import { bcda } from './bcda';
import type { Environment, Provider } from './schema';

/** Every provider the console knows, in the order the picker shows them. */
export const providers: readonly Provider[] = [bcda];

export function getProvider(id: string): Provider | undefined {
  return providers.find((p) => p.id === id);
}

export function getEnvironment(provider: Provider, environmentId: string): Environment | undefined {
  return provider.environments.find((e) => e.id === environmentId);
}
