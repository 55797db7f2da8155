import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { generateClientKey, publicJwks, type StoredClientKey } from './client-keys';
import { JWT_BEARER_ASSERTION_TYPE } from '@/lib/contract/oauth';
import { backendServicesTokenForm, mintClientAssertion } from './client-assertion';

const TOKEN_URL = 'https://ehr.example.org/oauth2/token';
const NOW = new Date('2025-01-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;

let rsa: StoredClientKey;
let ec: StoredClientKey;
beforeAll(async () => {
  [rsa, ec] = await Promise.all([generateClientKey('RS384'), generateClientKey('ES384')]);
});

describe('mintClientAssertion', () => {
  it.each(['RS384', 'ES384'] as const)('mints a %s assertion that verifies with jose against the published JWKS', async (alg) => {
    const key = alg === 'RS384' ? rsa : ec;
    const minted = await mintClientAssertion({ key, clientId: 'client-1', tokenUrl: TOKEN_URL });
    const { payload, protectedHeader } = await jwtVerify(minted.assertion, createLocalJWKSet(publicJwks([rsa, ec])), {
      algorithms: [alg],
      audience: TOKEN_URL,
      issuer: 'client-1',
      subject: 'client-1',
      typ: 'JWT',
      maxTokenAge: 300,
    });
    expect(protectedHeader).toEqual({ alg, kid: key.kid, typ: 'JWT' });
    expect(payload).toEqual(minted.claims);
    expect(minted.header).toEqual(protectedHeader);
  });

  it('sets iss = sub = client id, aud = the exact token URL, exp = now + 300 by default', async () => {
    const tokenUrl = 'https://ehr.example.org:8443/oauth2/token/';
    const minted = await mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl, now: NOW });
    expect(decodeJwt(minted.assertion)).toEqual({ iss: 'abc', sub: 'abc', aud: tokenUrl, iat: NOW_S, exp: NOW_S + 300, jti: minted.claims.jti });
    expect(minted.claims.aud).toBe(tokenUrl);
    expect(typeof minted.claims.aud).toBe('string');
  });

  it('caps the lifetime at 300 seconds and honours a shorter one', async () => {
    const long = await mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: TOKEN_URL, now: NOW, lifetimeSeconds: 3600 });
    expect(long.claims.exp - long.claims.iat).toBe(300);
    const short = await mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: TOKEN_URL, now: NOW, lifetimeSeconds: 60 });
    expect(short.claims.exp).toBe(NOW_S + 60);
    await expect(mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: TOKEN_URL, lifetimeSeconds: 0 })).rejects.toThrow(RangeError);
  });

  it('gives every assertion a fresh jti of at least 128 bits', async () => {
    const jtis = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { claims } = await mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: TOKEN_URL, now: NOW });
      expect(Buffer.from(claims.jti, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
      jtis.add(claims.jti);
    }
    expect(jtis.size).toBe(20);
    const chosen = await mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: TOKEN_URL, jti: 'fixed' });
    expect(chosen.claims.jti).toBe('fixed');
  });

  it('adds jku to the header only when asked', async () => {
    const jku = 'https://console.example.org/api/smart/jwks/u1';
    const minted = await mintClientAssertion({ key: rsa, clientId: 'abc', tokenUrl: TOKEN_URL, jku });
    expect(decodeProtectedHeader(minted.assertion)).toEqual({ alg: 'RS384', kid: rsa.kid, typ: 'JWT', jku });
  });

  it('refuses an empty client id and a relative token URL', async () => {
    await expect(mintClientAssertion({ key: ec, clientId: ' ', tokenUrl: TOKEN_URL })).rejects.toThrow(/clientId/);
    await expect(mintClientAssertion({ key: ec, clientId: 'abc', tokenUrl: '/token' })).rejects.toThrow(/tokenUrl/);
  });
});

describe('backendServicesTokenForm', () => {
  it('carries grant_type, scope and the JWT bearer client assertion', () => {
    const form = backendServicesTokenForm({ assertion: 'a.b.c', scope: 'system/Patient.rs' });
    expect([...form]).toEqual([
      ['grant_type', 'client_credentials'],
      ['scope', 'system/Patient.rs'],
      ['client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'],
      ['client_assertion', 'a.b.c'],
    ]);
    expect(JWT_BEARER_ASSERTION_TYPE).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });
});
