import { describe, expect, it } from 'vitest';
import { BENCH_CLIENT_ID, bcdaAccounts, benchAccountFromEnv } from './credentials';

describe('the bench ACO', () => {
  it('exists only when both its size and secret are configured', () => {
    expect(benchAccountFromEnv({})).toBeUndefined();
    expect(benchAccountFromEnv({ BCDA_SANDBOX_BENCH_ENROLLEES: '85000' })).toBeUndefined();
    expect(benchAccountFromEnv({ BCDA_SANDBOX_BENCH_SECRET: 's'.repeat(32) })).toBeUndefined();
    expect(benchAccountFromEnv({ BCDA_SANDBOX_BENCH_ENROLLEES: 'lots', BCDA_SANDBOX_BENCH_SECRET: 's' })).toBeUndefined();
    expect(benchAccountFromEnv({ BCDA_SANDBOX_BENCH_ENROLLEES: '0', BCDA_SANDBOX_BENCH_SECRET: 's' })).toBeUndefined();
    expect(benchAccountFromEnv({ BCDA_SANDBOX_BENCH_ENROLLEES: '85000', BCDA_SANDBOX_BENCH_SECRET: 'bench-secret' })).toMatchObject({
      clientId: BENCH_CLIENT_ID,
      clientSecret: 'bench-secret',
      enrollees: 85_000,
    });
  });

  it('is not among the accounts of a sandbox started without it', () => {
    expect(bcdaAccounts.map((account) => account.clientId)).not.toContain(BENCH_CLIENT_ID);
  });
});
