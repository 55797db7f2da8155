import { describe, expect, it } from 'vitest';
import type { GrantDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import {
  CUSTOM_CREDENTIALS,
  describeGrant,
  getDefaultCredential,
  getDefaultEnvironment,
  getInitialSelection,
  getPresetsFor,
  resolveBodyFormat,
  toPresetId,
} from './credential-options';

const clientCredentials: GrantDto = {
  grantType: 'client_credentials',
  clientAuth: 'basic',
  httpMethod: 'POST',
  body: 'empty',
  scopes: [],
  codeBinding: { method: 'pkce_s256' },
  stateMinLength: 0,
  refresh: { supported: false, rotates: false },
  documentedTokenLifetimeSeconds: 300,
};

const provider = {
  id: 'bcda',
  environments: [
    { id: 'builtin', kind: 'builtin' },
    { id: 'sandbox', kind: 'sandbox' },
    { id: 'production', kind: 'production' },
  ],
  presets: [
    { id: 'a', environments: ['builtin', 'sandbox'] },
    { id: 'b', environments: ['sandbox'] },
  ],
  apiKind: 'fhir',
  allowCustomCredentials: true,
  grant: clientCredentials,
} as unknown as ProviderDto;

describe('credential options', () => {
  it('filters presets by environment', () => {
    expect(getPresetsFor(provider, 'builtin').map((p) => p.id)).toEqual(['a']);
    expect(getPresetsFor(provider, 'production')).toEqual([]);
  });
  it('keeps a valid choice and falls back otherwise', () => {
    expect(getDefaultCredential(provider, 'sandbox', 'b')).toBe('b');
    expect(getDefaultCredential(provider, 'builtin', 'b')).toBe('a');
    expect(getDefaultCredential(provider, 'production', 'a')).toBe('custom');
    expect(getDefaultCredential(provider, 'builtin', 'custom')).toBe('custom');
  });
  it('defaults to the built-in sandbox when available', () => {
    expect(getDefaultEnvironment(provider, true)).toBe('builtin');
    expect(getDefaultEnvironment(provider, false)).toBe('sandbox');
  });
  it('maps the custom choice to no preset id', () => {
    expect(toPresetId(CUSTOM_CREDENTIALS)).toBeUndefined();
    expect(toPresetId('a')).toBe('a');
  });
});

describe('getInitialSelection', () => {
  const token = (over: Partial<TokenDto>) => ({ providerId: 'bcda', environmentId: 'sandbox', ...over }) as TokenDto;

  it('restores the environment and credential set of the session’s token', () => {
    expect(getInitialSelection(provider, true, token({ presetId: 'b' }))).toEqual({
      providerId: 'bcda',
      environmentId: 'sandbox',
      credential: 'b',
    });
    expect(getInitialSelection(provider, true, token({ environmentId: 'production' }))).toEqual({
      providerId: 'bcda',
      environmentId: 'production',
      credential: 'custom',
    });
  });
  it('falls back to the defaults without a usable token', () => {
    const defaults = { providerId: 'bcda', environmentId: 'builtin', credential: 'a' };
    expect(getInitialSelection(provider, true)).toEqual(defaults);
    expect(getInitialSelection(provider, true, token({ environmentId: 'gone' }))).toEqual(defaults);
    expect(getInitialSelection(provider, false, token({ environmentId: 'builtin', presetId: 'a' })).environmentId).toBe('sandbox');
  });
  it('does not restore a preset that is no longer offered there', () => {
    expect(getInitialSelection(provider, true, token({ environmentId: 'builtin', presetId: 'b' })).credential).toBe('a');
  });
});

describe('describeGrant', () => {
  it('describes client credentials', () => {
    expect(describeGrant(clientCredentials)).toBe('client_credentials · HTTP Basic · POST with empty body');
  });
  it('names both body formats when there is a choice (Candid)', () => {
    expect(
      describeGrant({ ...clientCredentials, clientAuth: 'json', body: 'json', bodyChoices: ['json', 'form'] }),
    ).toBe('client_credentials · credentials in a JSON body · POST with JSON or form body');
  });
  it('describes authorization code with PKCE, client auth and refresh', () => {
    expect(
      describeGrant({
        ...clientCredentials,
        grantType: 'authorization_code',
        body: 'form',
        refresh: { supported: true, rotates: true },
      }),
    ).toBe('authorization_code · PKCE S256 · HTTP Basic at the token endpoint · refresh tokens rotate');
  });
  it('says what binds the code where the server refuses PKCE', () => {
    const refused = { ...clientCredentials, grantType: 'authorization_code' as const, clientAuth: 'form' as const, body: 'form' as const };
    expect(describeGrant({ ...refused, codeBinding: { method: 'oidc_nonce', pkceRefusal: 'Refuses code_challenge.' } })).toBe(
      'authorization_code · no PKCE (server refuses it): OIDC nonce binds the code · client secret in the token request form · no refresh tokens',
    );
    expect(describeGrant({ ...refused, codeBinding: { method: 'none', pkceRefusal: 'Refuses code_challenge.', risk: 'Unbound.' } })).toBe(
      'authorization_code · no PKCE (server refuses it): nothing binds the code · client secret in the token request form · no refresh tokens',
    );
  });
});

describe('resolveBodyFormat', () => {
  it('is undefined when the grant offers no choice', () => {
    expect(resolveBodyFormat(undefined, 'form', 'form')).toBeUndefined();
  });
  it('keeps a valid choice, else the grant’s own body, else the first choice', () => {
    expect(resolveBodyFormat(['json', 'form'], 'form', 'json')).toBe('form');
    expect(resolveBodyFormat(['json', 'form'], null, 'form')).toBe('form');
    expect(resolveBodyFormat(['json', 'form'], null, 'empty')).toBe('json');
  });
});
