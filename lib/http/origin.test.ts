import { describe, expect, it } from 'vitest';
import { isSecureRequest, requestOrigin } from './origin';

const req = (headers: Record<string, string>) => new Request('http://0.0.0.0:3000/api/x', { headers });

describe('requestOrigin', () => {
  it('uses the Host header, not the bound address', () => {
    expect(requestOrigin(req({ host: 'localhost:3000' }), {})).toBe('http://localhost:3000');
  });
  it('trusts X-Forwarded-Proto only behind a declared proxy', () => {
    const r = req({ host: 'console.example', 'x-forwarded-proto': 'https' });
    expect(requestOrigin(r, {})).toBe('http://console.example');
    expect(requestOrigin(r, { TRUST_PROXY: '1' })).toBe('https://console.example');
    expect(isSecureRequest(r, { TRUST_PROXY: '1' })).toBe(true);
    expect(isSecureRequest(r, {})).toBe(false);
  });
});
