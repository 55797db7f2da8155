import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { pemToJwks } from '@/lib/oauth/jwks';
import { verifyAccessToken, type JwksSource } from './verify';

let jwks: JSONWebKeySet;
let other: JSONWebKeySet;
let pem: string;
let sign: (claims?: Record<string, unknown>, kid?: string) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const stranger = await generateKeyPair('RS256', { extractable: true });
  jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] };
  other = { keys: [{ ...(await exportJWK(stranger.publicKey)), kid: 'k1', alg: 'RS256' }] };
  pem = await exportSPKI(publicKey);
  sign = (claims = {}, kid = 'k1') => {
    const jwt = new SignJWT({ sub: 'client@clients', ...claims }).setProtectedHeader({ alg: 'RS256', kid }).setIssuedAt();
    return (claims.exp === undefined ? jwt.setExpirationTime('1h') : jwt).sign(privateKey);
  };
});

const source = (keys: () => JSONWebKeySet | Promise<JSONWebKeySet>): JwksSource => ({ kind: 'jwks', load: async () => keys() });

describe('verifyAccessToken', () => {
  it('verifies a token signed by a key in the JWKS', async () => {
    expect(await verifyAccessToken(await sign(), source(() => jwks))).toMatchObject({ status: 'verified', alg: 'RS256', kid: 'k1' });
  });

  it('fails a token whose signature does not match the published key', async () => {
    const result = await verifyAccessToken(await sign(), source(() => other));
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.reason).toContain('signature does not match');
  });

  it('names a kid the JWKS does not have, after one refetch', async () => {
    let loads = 0;
    const result = await verifyAccessToken(await sign({}, 'k9'), source(() => (loads++, jwks)));
    expect(result.reason).toBe('No key with kid "k9" in the environment\'s JWKS.');
    expect(loads).toBe(2);
  });

  it('says an expired token is signed correctly but expired', async () => {
    const expired = await sign({ exp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await verifyAccessToken(expired, source(() => jwks))).reason).toContain('has expired');
  });

  it('cannot verify an opaque token, or without published keys', async () => {
    expect((await verifyAccessToken('0123456789abcdefghij', source(() => jwks))).status).toBe('unverifiable');
    expect(await verifyAccessToken(await sign(), { kind: 'none', reason: 'no JWKS here' })).toMatchObject({ status: 'unverifiable', reason: 'no JWKS here' });
  });

  it('verifies against a PEM public key, which names no kid', async () => {
    const fromPem = await pemToJwks(pem, 'RS256');
    expect(fromPem.keys[0]?.kid).toBeUndefined();
    expect((await verifyAccessToken(await sign({}, 'auth0-kid'), source(() => fromPem))).status).toBe('verified');
  });

  it('refuses a PEM that is neither a certificate nor a public key', async () => {
    await expect(pemToJwks('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----', 'RS256')).rejects.toThrow('neither');
  });
});
