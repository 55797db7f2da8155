import { describe, expect, it } from 'vitest';
import { apiErrorCodeSchema, apiErrorSchema } from './schemas';

describe('the error contract', () => {
  it('takes only the closed list of codes both sides share', () => {
    for (const code of apiErrorCodeSchema.options) expect(apiErrorSchema.safeParse({ error: { code, message: 'm' } }).success).toBe(true);
    expect(apiErrorSchema.safeParse({ error: { code: 'access_denied', message: 'm' } }).success).toBe(false);
    expect(apiErrorSchema.safeParse({ error: { code: 'INTERNAL_ERROR', message: 'm' } }).success).toBe(false);
  });
});
