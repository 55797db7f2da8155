import { describe, expect, it } from 'vitest';
import { healthsherpa } from './healthsherpa';
import { resolveEnvironment } from './resolve';

describe('resolveEnvironment', () => {
  const env = (id: string) => healthsherpa.environments.find((e) => e.id === id)!;

  it('sends API calls to a separate API host where the provider has one', () => {
    const production = resolveEnvironment(healthsherpa, env('production'));
    expect(production.tokenUrl.toString()).toBe('https://medicare.healthsherpa.com/oauth/token');
    expect(production.fhirBaseUrl.toString()).toBe('https://api.medicare.healthsherpa.com/v2');
    expect(production.apiOrigin).toBe('https://api.medicare.healthsherpa.com');
  });

  it('serves both on the built-in sandbox mount', () => {
    const builtin = resolveEnvironment(healthsherpa, env('builtin'), 'http://127.0.0.1:3000');
    expect(builtin.fhirBaseUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/healthsherpa/v2');
    expect(builtin.apiOrigin).toBe('http://127.0.0.1:3000');
  });

  it('applies a preset override on top of the environment', () => {
    const overridden = resolveEnvironment(healthsherpa, env('builtin'), 'http://127.0.0.1:3000', { tokenPath: '/other/token' });
    expect(overridden.tokenUrl.toString()).toBe('http://127.0.0.1:3000/sandbox/healthsherpa/other/token');
  });
});
