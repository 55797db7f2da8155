import { describe, expect, it } from 'vitest';
import { checkCsrf } from './csrf';

const own = 'http://localhost:3000';
const post = (headers: Record<string, string>) => new Request(`${own}/api/x`, { method: 'POST', headers });

describe('checkCsrf', () => {
  it('accepts a same-origin request with the custom header', () => {
    expect(checkCsrf(post({ 'x-console-request': '1', origin: own, 'sec-fetch-site': 'same-origin' }), own)).toEqual({ ok: true });
  });
  it.each([
    [{ origin: own }, 'x-console-request'],
    [{ 'x-console-request': '1' }, 'no Origin'],
    [{ 'x-console-request': '1', origin: 'null' }, 'not this console'],
    [{ 'x-console-request': '1', origin: 'https://evil.test' }, 'not this console'],
    [{ 'x-console-request': '1', origin: own, 'sec-fetch-site': 'cross-site' }, 'cross-site'],
    [{ 'x-console-request': '1', origin: own, 'sec-fetch-site': 'same-site' }, 'same-site'],
  ])('refuses %o', (headers, reason) => {
    const result = checkCsrf(post(headers), own);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
