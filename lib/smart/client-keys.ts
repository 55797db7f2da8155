import 'server-only';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  calculateJwkThumbprint,
  CompactSign,
  compactVerify,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
} from 'jose';
import { z } from 'zod';

/**
 * The console's own client keys for SMART Backend Services (`private_key_jwt`): generated or imported server-side,
 * stored as a private JWK to be sealed in the vault, published as a public JWKS. The private members never leave
 * this module except inside a `StoredClientKey`, which only the vault and the assertion minter read.
 *
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#registering-a-client-communicating-public-keys
 */

/** SMART Backend Services: servers SHALL support RS384 and ES384. */
export const clientKeyAlgs = ['RS384', 'ES384'] as const;
export const clientKeyAlgSchema = z.enum(clientKeyAlgs);
export type ClientKeyAlg = z.infer<typeof clientKeyAlgSchema>;

/** NIST SP 800-131A / SMART: RSA keys shorter than 2048 bits are refused. */
export const MIN_RSA_BITS = 2048;

const b64u = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');
const rsaPrivateJwkSchema = z.looseObject({
  kty: z.literal('RSA'),
  n: b64u,
  e: b64u,
  d: b64u,
  p: b64u,
  q: b64u,
  dp: b64u,
  dq: b64u,
  qi: b64u,
});
const ecPrivateJwkSchema = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-384'),
  x: b64u,
  y: b64u,
  d: b64u,
});
export const privateClientJwkSchema = z.discriminatedUnion('kty', [rsaPrivateJwkSchema, ecPrivateJwkSchema]);
export type PrivateClientJwk = z.infer<typeof privateClientJwkSchema>;

/** A client key as sealed in the vault: the private JWK, its RFC 7638 thumbprint as `kid`, and its algorithm. */
export const storedClientKeySchema = z
  .object({
    kid: z.string().min(1).describe('RFC 7638 SHA-256 JWK thumbprint of the public key'),
    alg: clientKeyAlgSchema,
    privateJwk: privateClientJwkSchema,
    createdAt: z.iso.datetime(),
    source: z.enum(['generated', 'imported']),
  })
  .refine((k) => (k.alg === 'RS384' ? k.privateJwk.kty === 'RSA' : k.privateJwk.kty === 'EC'), {
    message: 'alg does not fit the key type (RS384 needs an RSA key, ES384 a P-384 EC key)',
    path: ['alg'],
  });
export type StoredClientKey = z.infer<typeof storedClientKeySchema>;

/** One public key of the console's JWKS, as a provider fetches it. */
export interface PublicClientJwk extends JWK {
  kty: 'RSA' | 'EC';
  kid: string;
  alg: ClientKeyAlg;
  use: 'sig';
  key_ops: ['verify'];
}

export const clientKeyImportErrorCodes = [
  'malformed_pem',
  'malformed_jwk',
  'not_pkcs8',
  'encrypted_key',
  'public_key_not_private',
  'wrong_alg_for_key',
  'unsupported_key_type',
  'rsa_too_small',
  'key_pair_mismatch',
] as const;
export type ClientKeyImportErrorCode = (typeof clientKeyImportErrorCodes)[number];

/** A refused import, with a message that tells the user what to paste instead. */
export class ClientKeyImportError extends Error {
  override readonly name = 'ClientKeyImportError';
  constructor(
    readonly code: ClientKeyImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Generates a fresh signing key pair: RS384 on a 2048-bit (or larger) RSA key, or ES384 on P-384. The private key is
 * extractable only so that it can be sealed in the vault.
 */
export async function generateClientKey(
  alg: ClientKeyAlg,
  options: { modulusLength?: number; now?: Date } = {},
): Promise<StoredClientKey> {
  const modulusLength = options.modulusLength ?? MIN_RSA_BITS;
  if (alg === 'RS384' && modulusLength < MIN_RSA_BITS) {
    throw new ClientKeyImportError('rsa_too_small', `RSA keys must have at least ${MIN_RSA_BITS} bits.`);
  }
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS384' ? { modulusLength } : {}) });
  const privateJwk = privateClientJwkSchema.parse(await exportJWK(privateKey));
  return storedKey(privateJwk, alg, 'generated', options.now);
}

/**
 * Imports a private key the user pastes: a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) or a private JWK (object or
 * JSON text). `alg` is inferred from the key when omitted; when given, it must fit the key.
 *
 * @throws {ClientKeyImportError} with a code and a message saying what to paste instead.
 */
export async function importClientKey(
  input: string | Record<string, unknown>,
  options: { alg?: ClientKeyAlg; now?: Date } = {},
): Promise<StoredClientKey> {
  if (typeof input === 'string' && !input.trim().startsWith('{')) return importPem(input, options);
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new ClientKeyImportError('malformed_jwk', 'The text starts like a JWK but is not valid JSON.');
    }
  }
  return importPrivateJwk(value, options);
}

/** The public JWKS document to publish for the given keys: public members only, with `kid`, `alg` and usage. */
export function publicJwks(keys: readonly StoredClientKey[]): { keys: PublicClientJwk[] } {
  return { keys: keys.map(publicClientJwk) };
}

/** The public half of one stored key, as published. */
export function publicClientJwk(key: StoredClientKey): PublicClientJwk {
  // RFC 7517 §4.3: `use` and `key_ops` may appear together only when consistent: "sig" ↔ ["verify"] for a public key.
  return { ...publicMembers(key.privateJwk), kid: key.kid, alg: key.alg, use: 'sig', key_ops: ['verify'] };
}

function publicMembers(jwk: PrivateClientJwk): { kty: 'RSA'; n: string; e: string } | { kty: 'EC'; crv: 'P-384'; x: string; y: string } {
  return jwk.kty === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
}

async function storedKey(
  privateJwk: PrivateClientJwk,
  alg: ClientKeyAlg,
  source: StoredClientKey['source'],
  now = new Date(),
): Promise<StoredClientKey> {
  // Strip anything beyond the key material (a pasted `kid`, `use`, `ext`...): we name and describe the key ourselves.
  const clean: PrivateClientJwk =
    privateJwk.kty === 'RSA'
      ? { kty: 'RSA', n: privateJwk.n, e: privateJwk.e, d: privateJwk.d, p: privateJwk.p, q: privateJwk.q, dp: privateJwk.dp, dq: privateJwk.dq, qi: privateJwk.qi }
      : { kty: 'EC', crv: privateJwk.crv, x: privateJwk.x, y: privateJwk.y, d: privateJwk.d };
  const kid = await calculateJwkThumbprint(publicMembers(clean), 'sha256');
  return storedClientKeySchema.parse({ kid, alg, privateJwk: clean, createdAt: now.toISOString(), source });
}

async function importPem(pem: string, options: { alg?: ClientKeyAlg; now?: Date }): Promise<StoredClientKey> {
  const text = pem.trim();
  const label = /^-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (!label) {
    throw new ClientKeyImportError('malformed_pem', 'This is neither a PEM (no "-----BEGIN PRIVATE KEY-----" line) nor a JWK.');
  }
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY' || label === 'CERTIFICATE') {
    throw new ClientKeyImportError(
      'public_key_not_private',
      `This is a ${label === 'CERTIFICATE' ? 'certificate' : 'public key'}; signing needs the private key ("-----BEGIN PRIVATE KEY-----"). The console publishes the public key itself.`,
    );
  }
  if (label === 'ENCRYPTED PRIVATE KEY') {
    throw new ClientKeyImportError(
      'encrypted_key',
      'This private key is encrypted with a passphrase. Decrypt it first: openssl pkcs8 -in key.pem -nocrypt -out key-plain.pem',
    );
  }
  if (label === 'RSA PRIVATE KEY' || label === 'EC PRIVATE KEY') {
    throw new ClientKeyImportError(
      'not_pkcs8',
      `This is a ${label === 'RSA PRIVATE KEY' ? 'PKCS#1' : 'SEC 1'} key ("${label}"); paste it as PKCS#8 instead: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem`,
    );
  }
  if (label !== 'PRIVATE KEY') {
    throw new ClientKeyImportError('malformed_pem', `A "${label}" PEM is not a private key; paste a "-----BEGIN PRIVATE KEY-----" block.`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new ClientKeyImportError('malformed_pem', 'The PEM could not be read: the base64 between the BEGIN and END lines is damaged or cut short.');
  }
  const alg = algForKeyObject(keyObject, options.alg);
  const key = await importPKCS8(text, alg, { extractable: true });
  const parsed = privateClientJwkSchema.safeParse(await exportJWK(key));
  if (!parsed.success) throw new ClientKeyImportError('malformed_pem', 'The PEM holds a key the console cannot use for signing.');
  await assertKeyPairMatches(parsed.data, alg);
  return storedKey(parsed.data, alg, 'imported', options.now);
}

function algForKeyObject(key: KeyObject, wanted: ClientKeyAlg | undefined): ClientKeyAlg {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    return checkRsa(bits, wanted);
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'secp384r1') {
      throw new ClientKeyImportError('unsupported_key_type', `This EC key is on ${curve ?? 'an unknown curve'}; ES384 needs a P-384 (secp384r1) key.`);
    }
    return checkEc(wanted);
  }
  throw new ClientKeyImportError(
    'unsupported_key_type',
    `This is a${type === 'ed25519' || type === 'ed448' ? 'n' : ''} ${type ?? 'unknown'} key; SMART Backend Services uses RSA (RS384) or P-384 EC (ES384) keys.`,
  );
}

function checkRsa(bits: number, wanted: ClientKeyAlg | undefined): ClientKeyAlg {
  if (wanted === 'ES384') {
    throw new ClientKeyImportError('wrong_alg_for_key', 'This is an RSA key, which signs RS384; ES384 needs a P-384 EC key.');
  }
  if (bits < MIN_RSA_BITS) {
    throw new ClientKeyImportError('rsa_too_small', `This RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required.`);
  }
  return 'RS384';
}

function checkEc(wanted: ClientKeyAlg | undefined): ClientKeyAlg {
  if (wanted === 'RS384') {
    throw new ClientKeyImportError('wrong_alg_for_key', 'This is a P-384 EC key, which signs ES384; RS384 needs an RSA key.');
  }
  return 'ES384';
}

async function importPrivateJwk(value: unknown, options: { alg?: ClientKeyAlg; now?: Date }): Promise<StoredClientKey> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClientKeyImportError('malformed_jwk', 'A JWK is a JSON object with "kty" and the key members.');
  }
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.keys)) {
    throw new ClientKeyImportError('malformed_jwk', 'This is a JWK Set; paste the one private key (the object inside "keys").');
  }
  const kty = record.kty;
  if (kty !== 'RSA' && kty !== 'EC') {
    throw new ClientKeyImportError(
      kty === undefined ? 'malformed_jwk' : 'unsupported_key_type',
      kty === undefined ? 'The JWK has no "kty".' : `A "${String(kty)}" key cannot sign RS384 or ES384; use an RSA or P-384 EC key.`,
    );
  }
  if (record.d === undefined) {
    throw new ClientKeyImportError('public_key_not_private', 'This JWK is a public key (no "d"); signing needs the private key.');
  }
  if (kty === 'EC' && record.crv !== 'P-384') {
    throw new ClientKeyImportError('unsupported_key_type', `This EC key is on ${String(record.crv)}; ES384 needs a P-384 key.`);
  }
  const declared = record.alg;
  if (declared !== undefined && declared !== (kty === 'RSA' ? 'RS384' : 'ES384')) {
    const fits = kty === 'RSA' ? 'RS384' : 'ES384';
    throw new ClientKeyImportError(
      'wrong_alg_for_key',
      `The JWK says alg "${String(declared)}"; the console signs ${fits} with ${kty === 'RSA' ? 'an RSA' : 'a P-384'} key. Remove "alg" or set it to ${fits}.`,
    );
  }
  const parsed = privateClientJwkSchema.safeParse(value);
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).filter(Boolean);
    throw new ClientKeyImportError(
      'malformed_jwk',
      `The private JWK is incomplete or not base64url${missing.length ? ` (check: ${[...new Set(missing)].join(', ')})` : ''}.`,
    );
  }
  const jwk = parsed.data;
  const alg = jwk.kty === 'RSA' ? checkRsa(rsaBits(jwk.n), options.alg) : checkEc(options.alg);
  await assertKeyPairMatches(jwk, alg);
  return storedKey(jwk, alg, 'imported', options.now);
}

function rsaBits(n: string): number {
  const bytes = Buffer.from(n, 'base64url');
  const first = bytes.findIndex((b) => b !== 0);
  if (first < 0) return 0;
  return (bytes.length - first) * 8 - Math.clz32(bytes[first] ?? 0) + 24;
}

/** Signs a probe with the private members and verifies it with the public ones: catches a pasted mix of two keys. */
async function assertKeyPairMatches(jwk: PrivateClientJwk, alg: ClientKeyAlg): Promise<void> {
  try {
    const privateKey = await importJWK(jwk, alg);
    const publicKey = await importJWK(publicMembers(jwk), alg);
    const jws = await new CompactSign(new TextEncoder().encode('probe')).setProtectedHeader({ alg }).sign(privateKey);
    await compactVerify(jws, publicKey, { algorithms: [alg] });
  } catch {
    throw new ClientKeyImportError(
      'key_pair_mismatch',
      'The private and public members of this key do not belong together (or the key material is damaged).',
    );
  }
}
