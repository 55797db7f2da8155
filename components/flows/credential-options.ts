import type { GrantDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';

export type Preset = ProviderDto['presets'][number];

/** The option value of "Your own credentials" in the Credential set select. */
export const CUSTOM_CREDENTIALS = 'custom';

/** The preset id of a Credential set choice; undefined for the user's own credentials. */
export function toPresetId(credential: string): string | undefined {
  return credential === CUSTOM_CREDENTIALS || credential === '' ? undefined : credential;
}

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

export interface Selection {
  providerId: string;
  environmentId: string;
  credential: string;
}

/**
 * Where a provider opens: on its session token's environment and credential set when the session holds one
 * (after an authorization redirect, or switching back to a provider), else on the defaults.
 */
export function getInitialSelection(provider: ProviderDto, builtinAvailable: boolean, token?: TokenDto): Selection {
  const tokenEnvironment = token && provider.environments.find((env) => env.id === token.environmentId);
  if (token && tokenEnvironment && (tokenEnvironment.kind !== 'builtin' || builtinAvailable)) {
    const wanted = token.presetId ?? CUSTOM_CREDENTIALS;
    return {
      providerId: provider.id,
      environmentId: tokenEnvironment.id,
      credential: getDefaultCredential(provider, tokenEnvironment.id, wanted),
    };
  }
  const environmentId = getDefaultEnvironment(provider, builtinAvailable);
  return { providerId: provider.id, environmentId, credential: getDefaultCredential(provider, environmentId) };
}

const clientAuthWords = {
  client_credentials: {
    basic: 'HTTP Basic',
    form: 'client_secret_post (form)',
    json: 'credentials in a JSON body',
    private_key_jwt: 'signed client assertion (private_key_jwt)',
    none: 'no client authentication',
  },
  authorization_code: {
    basic: 'HTTP Basic at the token endpoint',
    form: 'client secret in the token request form',
    json: 'client secret in a JSON token request',
    private_key_jwt: 'signed client assertion at the token endpoint (private_key_jwt)',
    none: 'public client (client_id only)',
  },
} as const;

const bodyWords = { empty: 'empty body', form: 'form body', json: 'JSON body' } as const;

const codeBindingWords: Record<GrantDto['codeBinding']['method'], string> = {
  pkce_s256: 'PKCE S256',
  oidc_nonce: 'no PKCE (server refuses it): OIDC nonce binds the code',
  none: 'no PKCE (server refuses it): nothing binds the code',
};

function describeRefresh(refresh: GrantDto['refresh']): string | null {
  if (!refresh.supported) return null;
  return refresh.rotates ? 'refresh tokens rotate' : 'reusable refresh tokens';
}

/**
 * The grant in words.
 * `client_credentials · HTTP Basic · POST with empty body`;
 * `authorization_code · PKCE S256 · HTTP Basic at the token endpoint · refresh tokens rotate`.
 */
export function describeGrant(grant: GrantDto): string {
  const auth = clientAuthWords[grant.grantType][grant.clientAuth];
  const refresh = describeRefresh(grant.refresh);
  if (grant.grantType === 'authorization_code') {
    return ['authorization_code', codeBindingWords[grant.codeBinding.method], auth, refresh ?? 'no refresh tokens'].join(' · ');
  }
  const body =
    grant.bodyChoices && grant.bodyChoices.length > 1
      ? grant.bodyChoices.map((choice) => (choice === 'json' ? 'JSON' : choice)).join(' or ') + ' body'
      : bodyWords[grant.body];
  return [grant.grantType, auth, `${grant.httpMethod} with ${body}`, ...(refresh ? [refresh] : [])].join(' · ');
}

/** `authorization code` / `client credentials`, for badges. */
export function grantTypeLabel(grant: GrantDto): string {
  return grant.grantType === 'authorization_code' ? 'authorization code' : 'client credentials';
}

export type BodyFormat = 'json' | 'form';

/** The body format to send: the user's choice when the grant offers it, else the grant's own. */
export function resolveBodyFormat(
  choices: readonly BodyFormat[] | undefined,
  chosen: BodyFormat | null,
  grantBody: 'empty' | 'form' | 'json',
): BodyFormat | undefined {
  if (!choices || choices.length === 0) return undefined;
  if (chosen && choices.includes(chosen)) return chosen;
  const own = grantBody === 'empty' ? undefined : grantBody;
  return own && choices.includes(own) ? own : choices[0];
}
