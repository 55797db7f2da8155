import { describe, expect, it } from 'vitest';
import { OneTimeSecret } from './one-time-secret';

describe('OneTimeSecret', () => {
  it('hands the secret out once', () => {
    const secret = new OneTimeSecret('s3cr3t');
    expect(secret.consumed).toBe(false);
    expect(secret.take()).toBe('s3cr3t');
    expect(secret.consumed).toBe(true);
    expect(secret.take()).toBe('');
  });

  it('never serialises the value', () => {
    const secret = new OneTimeSecret('s3cr3t');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[secret]"}');
    expect(String(secret)).toBe('[secret]');
    expect(Object.keys(secret)).toEqual([]);
  });
});
