import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulatedFailureSchema as reexportedSchema } from '@/lib/contract/schemas';
import { simulatedFailureOptions, toggleFailure } from '@/lib/client/simulations';
import { simulatesTokenFailure } from '@/lib/http/simulation';
import { readSimulatedFailures } from '@/lib/sandbox/shared/simulation';
import { providers } from '@/lib/providers';
import { failuresFor, sandboxFeaturesOf, simulatedFailureSchema, simulatedFailureTable, simulateHeader, tokenSideFailures } from './simulated-failures';

describe('the one table of simulated failures', () => {
  const values = simulatedFailureTable.map((row) => row.value);

  it('names each failure once, with a label and a description', () => {
    expect(new Set(values).size).toBe(values.length);
    for (const row of simulatedFailureTable) {
      expect(row.label.length, row.value).toBeGreaterThan(0);
      expect(row.description, row.value).toMatch(/\.$/);
    }
  });

  it('is what the schema accepts, what the card offers and what the sandboxes read, in the card’s order', () => {
    expect(simulatedFailureSchema.options).toEqual(values);
    expect(reexportedSchema).toBe(simulatedFailureSchema);
    expect(simulatedFailureOptions).toEqual(simulatedFailureTable.map(({ value, label, description }) => ({ value, label, description })));
    expect(toggleFailure([], values.at(-1)!, true)).toEqual([values.at(-1)]);
    const request = new Request('http://localhost/', { headers: { [simulateHeader]: [...values, 'not_in_the_table'].join(',') } });
    expect([...readSimulatedFailures(request)]).toEqual(values);
  });

  it('keeps a live token from being reused exactly for the failures that act on a token endpoint or on the wire', () => {
    for (const row of simulatedFailureTable) {
      const tokenSide = row.actsOn === 'token_endpoint' || row.actsOn === 'transport' || row.actsOn === 'dpop';
      expect(tokenSideFailures.has(row.value), row.value).toBe(tokenSide);
      expect(simulatesTokenFailure('builtin', [row.value]), row.value).toBe(tokenSide);
      expect(simulatesTokenFailure('sandbox', [row.value]), row.value).toBe(false);
    }
  });

  it('offers the DPoP and PAR failures only where a sandbox supports them: the SMART reference server, not the others', () => {
    const needing: string[] = simulatedFailureTable.filter((row) => 'needs' in row).map((row) => row.value);
    expect(needing).toEqual(['dpop_nonce_required', 'dpop_invalid_proof', 'dpop_replayed_jti', 'par_not_used', 'par_expired_request_uri']);
    const offered = (providerId: string) => failuresFor(sandboxFeaturesOf(providers.find((p) => p.id === providerId)!.environments.find((e) => e.kind === 'builtin')!));
    expect(offered('smart')).toEqual(values);
    for (const id of ['bcda', 'bluebutton', 'candid', '1uphealth', 'healthsherpa']) {
      expect(offered(id), id).toEqual(values.filter((v) => !needing.includes(v)));
    }
    expect(failuresFor({ dpop: true, par: false })).toContain('dpop_invalid_proof');
    expect(failuresFor({ dpop: true, par: false })).not.toContain('par_not_used');
  });

  it('imports zod and nothing else, so the browser and the server can both use it', () => {
    const source = readFileSync(new URL('./simulated-failures.ts', import.meta.url), 'utf8');
    expect([...source.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['zod']);
  });
});
