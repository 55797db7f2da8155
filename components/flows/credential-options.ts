import type { ProviderDto } from '@/lib/api-client/schemas';

export type Preset = ProviderDto['presets'][number];

/** The option value of "Your own credentials" in the Credential set select. */
export const CUSTOM_CREDENTIALS = 'custom';

/** Presets valid in an environment (sandbox credentials do not work in production). */
export function getPresetsFor(provider: ProviderDto, environmentId: string): Preset[] {
  return provider.presets.filter((preset) => preset.environments.includes(environmentId));
}

/** Keeps the current choice when it is still valid, else the first preset, else custom credentials. */
export function getDefaultCredential(provider: ProviderDto, environmentId: string, current?: string): string {
  const presets = getPresetsFor(provider, environmentId);
  if (current === CUSTOM_CREDENTIALS && provider.allowCustomCredentials) return current;
  if (current && presets.some((preset) => preset.id === current)) return current;
  return presets[0]?.id ?? CUSTOM_CREDENTIALS;
}

/** The built-in sandbox when the server has it, else the first environment. */
export function getDefaultEnvironment(provider: ProviderDto, builtinAvailable: boolean): string {
  const builtin = builtinAvailable ? provider.environments.find((env) => env.kind === 'builtin') : undefined;
  const fallback = provider.environments.find((env) => env.kind !== 'builtin') ?? provider.environments[0];
  return (builtin ?? fallback)?.id ?? '';
}

/** `client_credentials · HTTP Basic · POST with empty body` */
export function describeGrant(grant: ProviderDto['grant']): string {
  const auth = { basic: 'HTTP Basic', form: 'client_secret_post (form)', json: 'credentials in a JSON body' }[grant.clientAuth];
  const body = { empty: 'empty body', form: 'form body', json: 'JSON body' }[grant.body];
  return [grant.grantType, auth, `${grant.httpMethod} with ${body}`].join(' · ');
}
