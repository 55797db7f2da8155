import { describe, expect, it } from 'vitest';
import type { ProviderDto } from '@/lib/api-client/schemas';
import { describeGrant, getDefaultCredential, getDefaultEnvironment, getPresetsFor } from './credential-options';

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
  allowCustomCredentials: true,
  grant: { grantType: 'client_credentials', clientAuth: 'basic', httpMethod: 'POST', body: 'empty', scopes: [] },
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
  it('describes the grant in words', () => {
    expect(describeGrant(provider.grant)).toBe('client_credentials · HTTP Basic · POST with empty body');
  });
});
