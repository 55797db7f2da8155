import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { compactVerify, createLocalJWKSet, CompactSign, importJWK } from 'jose';
import {
  ClientKeyImportError,
  generateClientKey,
  importClientKey,
  publicJwks,
  storedClientKeySchema,
  type StoredClientKey,
} from './client-keys';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

let rsa: StoredClientKey;
let ec: StoredClientKey;

beforeAll(async () => {
  [rsa, ec] = await Promise.all([generateClientKey('RS384'), generateClientKey('ES384')]);
});

async function refusal(input: Parameters<typeof importClientKey>[0], options?: Parameters<typeof importClientKey>[1]) {
  try {
    await importClientKey(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ClientKeyImportError);
    return error as ClientKeyImportError;
  }
  throw new Error('import was accepted');
}

describe('generateClientKey', () => {
  it('generates an RS384 key on a 2048-bit RSA modulus, kid = RFC 7638 thumbprint', async () => {
    expect(rsa.alg).toBe('RS384');
    expect(rsa.privateJwk.kty).toBe('RSA');
    if (rsa.privateJwk.kty !== 'RSA') throw new Error('unreachable');
    expect(Buffer.from(rsa.privateJwk.n, 'base64url').length * 8).toBe(2048);
    expect(rsa.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rsa.source).toBe('generated');
    expect(storedClientKeySchema.parse(JSON.parse(JSON.stringify(rsa)))).toEqual(rsa);
  });

  it('generates an ES384 key on P-384', () => {
    expect(ec.alg).toBe('ES384');
    expect(ec.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-384' });
    expect(ec.kid).not.toBe(rsa.kid);
  });

  it('refuses to generate an RSA key under 2048 bits', async () => {
    await expect(generateClientKey('RS384', { modulusLength: 1024 })).rejects.toMatchObject({ code: 'rsa_too_small' });
  });

  it('the stored schema refuses an alg that does not fit the key type', () => {
    expect(storedClientKeySchema.safeParse({ ...ec, alg: 'RS384' }).success).toBe(false);
  });

  it('signs with the stored private key and verifies with the published JWKS', async () => {
    for (const key of [rsa, ec]) {
      const jws = await new CompactSign(new TextEncoder().encode('x'))
        .setProtectedHeader({ alg: key.alg, kid: key.kid })
        .sign(await importJWK(key.privateJwk, key.alg));
      await expect(compactVerify(jws, createLocalJWKSet(publicJwks([rsa, ec])))).resolves.toBeDefined();
    }
  });
});

describe('publicJwks', () => {
  it('publishes only public members, with kid, alg, use and key_ops', () => {
    const jwks = publicJwks([rsa, ec]);
    const text = JSON.stringify(jwks);
    for (const member of PRIVATE_MEMBERS) {
      for (const key of jwks.keys) expect(Object.keys(key)).not.toContain(member);
      expect(text).not.toContain(`"${member}"`);
    }
    if (rsa.privateJwk.kty !== 'RSA' || ec.privateJwk.kty !== 'EC') throw new Error('unreachable');
    expect(text).not.toContain(rsa.privateJwk.d);
    expect(text).not.toContain(ec.privateJwk.d);
    expect(jwks.keys).toEqual([
      { kty: 'RSA', n: rsa.privateJwk.n, e: rsa.privateJwk.e, kid: rsa.kid, alg: 'RS384', use: 'sig', key_ops: ['verify'] },
      { kty: 'EC', crv: 'P-384', x: ec.privateJwk.x, y: ec.privateJwk.y, kid: ec.kid, alg: 'ES384', use: 'sig', key_ops: ['verify'] },
    ]);
  });
});

describe('importClientKey', () => {
  it('round-trips a PKCS#8 PEM (RSA and P-384), inferring alg and keeping the thumbprint kid', async () => {
    const rsaPair = generateKeyPairSync('rsa', { modulusLength: 3072 });
    const imported = await importClientKey(rsaPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(imported).toMatchObject({ alg: 'RS384', source: 'imported' });
    const fromJwk = await importClientKey(rsaPair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>);
    expect(fromJwk.kid).toBe(imported.kid);

    const ecPair = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const ecImported = await importClientKey(ecPair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { alg: 'ES384' });
    expect(ecImported.alg).toBe('ES384');
    expect(publicJwks([ecImported]).keys[0]).toMatchObject(ecPair.publicKey.export({ format: 'jwk' }));
  });

  it('round-trips a private JWK (object and JSON text), ignoring pasted extras', async () => {
    const again = await importClientKey({ ...rsa.privateJwk, kid: 'mine', use: 'sig', alg: 'RS384' });
    expect(again.kid).toBe(rsa.kid);
    expect(again.privateJwk).toEqual(rsa.privateJwk);
    const ecAgain = await importClientKey(JSON.stringify(ec.privateJwk));
    expect(ecAgain.kid).toBe(ec.kid);
  });

  it('refuses a public key or certificate', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect((await refusal(publicKey.export({ format: 'pem', type: 'spki' }).toString())).code).toBe('public_key_not_private');
    expect((await refusal(JSON.stringify(publicJwks([ec]).keys[0]))).code).toBe('public_key_not_private');
  });

  it('refuses the wrong alg for the key type', async () => {
    const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect((await refusal(rsaPem, { alg: 'ES384' })).code).toBe('wrong_alg_for_key');
    expect((await refusal(ec.privateJwk, { alg: 'RS384' })).code).toBe('wrong_alg_for_key');
    const rs256 = await refusal({ ...rsa.privateJwk, alg: 'RS256' });
    expect(rs256.code).toBe('wrong_alg_for_key');
    expect(rs256.message).toContain('RS256');
  });

  it('refuses RSA under 2048 bits, other curves and other key types', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const smallRefusal = await refusal(small.export({ format: 'pem', type: 'pkcs8' }).toString());
    expect(smallRefusal.code).toBe('rsa_too_small');
    expect(smallRefusal.message).toContain('1024');
    expect((await refusal(small.export({ format: 'jwk' }) as Record<string, unknown>)).code).toBe('rsa_too_small');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect((await refusal(p256.export({ format: 'pem', type: 'pkcs8' }).toString())).code).toBe('unsupported_key_type');
    expect((await refusal(p256.export({ format: 'jwk' }) as Record<string, unknown>)).code).toBe('unsupported_key_type');
    const ed = generateKeyPairSync('ed25519').privateKey;
    expect((await refusal(ed.export({ format: 'pem', type: 'pkcs8' }).toString())).code).toBe('unsupported_key_type');
    expect((await refusal({ kty: 'oct', k: 'c2VjcmV0' })).code).toBe('unsupported_key_type');
  });

  it('refuses malformed, PKCS#1 and encrypted PEMs with the openssl command to fix them', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const damaged = pem.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    expect((await refusal(damaged)).code).toBe('malformed_pem');
    const cut = pem.split('\n').slice(0, 5).join('\n') + '\n-----END PRIVATE KEY-----';
    expect((await refusal(cut)).code).toBe('malformed_pem');
    expect((await refusal('not a key')).code).toBe('malformed_pem');
    expect((await refusal('{"kty":')).code).toBe('malformed_jwk');
    const pkcs1 = await refusal(pair.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString());
    expect(pkcs1.code).toBe('not_pkcs8');
    expect(pkcs1.message).toContain('openssl pkcs8 -topk8');
    const encrypted = pair.privateKey
      .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    expect((await refusal(encrypted)).code).toBe('encrypted_key');
  });

  it('refuses an incomplete JWK, a JWK Set, and a private key mixed from two pairs', async () => {
    if (rsa.privateJwk.kty !== 'RSA' || ec.privateJwk.kty !== 'EC') throw new Error('unreachable');
    const { qi: _qi, ...incomplete } = rsa.privateJwk;
    void _qi;
    const missing = await refusal(incomplete);
    expect(missing.code).toBe('malformed_jwk');
    expect(missing.message).toContain('qi');
    expect((await refusal({ keys: [rsa.privateJwk] })).code).toBe('malformed_jwk');
    const other = await generateClientKey('ES384');
    if (other.privateJwk.kty !== 'EC') throw new Error('unreachable');
    expect((await refusal({ ...ec.privateJwk, d: other.privateJwk.d })).code).toBe('key_pair_mismatch');
  });
});
