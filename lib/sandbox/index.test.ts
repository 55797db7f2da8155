import { describe, expect, it } from 'vitest';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { consoleHost } from '@/lib/http/console-host';
import { getSandboxHandler } from './index';

describe('sandbox registry', () => {
  it('returns the shared BCDA sandbox and nothing for unknown providers', () => {
    const handler = getSandboxHandler('bcda', consoleHost);
    expect(handler).toBeDefined();
    expect(getSandboxHandler('bcda', consoleHost)).toBe(handler);
    expect(getSandboxHandler('nope', consoleHost)).toBeUndefined();
    expect(getSandboxHandler('toString', consoleHost)).toBeUndefined();
  });

  it('has a sandbox for every built-in environment of every provider', async () => {
    const { providers } = await import('@/lib/providers');
    for (const provider of providers.filter((p) => p.environments.some((e) => e.kind === 'builtin'))) {
      expect(getSandboxHandler(provider.id, consoleHost), provider.id).toBeDefined();
    }
  });

  it.each([
    [undefined, true],
    ['on', true],
    ['true', true],
    ['off', false],
    ['OFF', false],
    ['false', false],
    ['0', false],
  ])('BUILTIN_SANDBOXES=%s → %s', (value, expected) => {
    expect(builtinSandboxesEnabled({ BUILTIN_SANDBOXES: value })).toBe(expected);
  });
});
