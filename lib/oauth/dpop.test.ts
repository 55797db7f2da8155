import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ATH_SHOWN } from '@/lib/contract/dpop';
import { sendFhirRequest } from '@/lib/fhir/proxy';
import { openFhirDownload } from '@/lib/fhir/download';
import { providerSchema } from '@/lib/providers/schema';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { catchHttpError } from '@/test/http-error';
import { athOf, chooseDpopAlg, createDpopProof, dpopKeyFor, htuOf, nonceChallengeOf, sendWithDpop } from './dpop';
import type { ResolvedFlow } from './flow';
import { prepareTokenRequest } from './client-authentication';
import { callTokenEndpoint } from './token-endpoint';
import { demoProviderInput, listenOnLoopback } from './test-helpers';

function setup() {
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 'd'.repeat(32) });
  return { vault, sid: `sid-${Math.random().toString(36).slice(2)}` };
}

/** Verifies a proof as a server does (RFC 9449 §4.3), with jose alone: nothing of the console's code. */
async function verifyProof(proof: string) {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'] });
  return { claims: payload, header: protectedHeader, jkt: await calculateJwkThumbprint(protectedHeader.jwk as JWK, 'sha256') };
}

describe('a DPoP proof (RFC 9449 §4.2)', () => {
  it('carries typ, alg and the public key in its header, and jti, htm, htu and iat in its claims', async () => {
    const ctx = setup();
    const key = await dpopKeyFor(ctx, 'demo', 'ES256');
    const { proof, decoded } = await createDpopProof(key, { method: 'post', url: 'https://as.example/token?x=1#frag', now: 1_700_000_000_500 });
    const { header, claims, jkt } = await verifyProof(proof);
    expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(Object.keys(header.jwk!).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(claims).toMatchObject({ htm: 'POST', htu: 'https://as.example/token', iat: 1_700_000_000 });
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(claims).not.toHaveProperty('ath');
    expect(claims).not.toHaveProperty('nonce');
    expect(jkt).toBe(key.jkt);
    expect(decoded).toEqual({ header, claims, jkt, answersNonceChallenge: false });
  });

  it('has a new jti every time, and the server’s nonce when one is given', async () => {
    const key = await dpopKeyFor(setup(), 'demo', 'ES256');
    const a = await verifyProof((await createDpopProof(key, { method: 'GET', url: 'https://rs.example/fhir' })).proof);
    const b = await verifyProof((await createDpopProof(key, { method: 'GET', url: 'https://rs.example/fhir', nonce: 'n-1' })).proof);
    expect(a.claims.jti).not.toBe(b.claims.jti);
    expect(b.claims.nonce).toBe('n-1');
  });

  it('binds a resource request to its token with ath, shown on the page only as what it is', async () => {
    const key = await dpopKeyFor(setup(), 'demo', 'ES256');
    const token = 'access-token-value-1234567890';
    const { proof, decoded } = await createDpopProof(key, { method: 'GET', url: 'https://rs.example/fhir/Patient', accessToken: token });
    expect((await verifyProof(proof)).claims.ath).toBe(createHash('sha256').update(token).digest('base64url'));
    expect(decoded.claims.ath).toBe(ATH_SHOWN);
    expect(JSON.stringify(decoded)).not.toContain(athOf(token));
  });

  it('computes ath as RFC 9449 §7.1’s example does', () => {
    expect(athOf('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU')).toBe('fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });

  it('names the key by its RFC 7638 thumbprint, the same for the same key, and keeps one key per session and provider', async () => {
    const ctx = setup();
    const key = await dpopKeyFor(ctx, 'demo', 'ES256');
    expect(key.jkt).toBe(await calculateJwkThumbprint(key.publicJwk as JWK, 'sha256'));
    expect((await dpopKeyFor(ctx, 'demo', 'ES256')).jkt).toBe(key.jkt);
    expect((await dpopKeyFor(ctx, 'other', 'ES256')).jkt).not.toBe(key.jkt);
    expect((await dpopKeyFor(setup(), 'demo', 'ES256')).jkt).not.toBe(key.jkt);
  });

  it.each([
    ['PS256', 'RSA'],
    ['EdDSA', 'OKP'],
  ] as const)('signs with %s when the server takes only that', async (alg, kty) => {
    const key = await dpopKeyFor(setup(), 'demo', chooseDpopAlg([alg], 'Demo'));
    const { header } = await verifyProof((await createDpopProof(key, { method: 'GET', url: 'https://rs.example/' })).proof);
    expect(header.alg).toBe(alg);
    expect(header.jwk?.kty).toBe(kty);
    expect(header.jwk).not.toHaveProperty('d');
  });

  it('chooses ES256 unless the server lists others, and refuses a server whose algorithms it cannot sign with', async () => {
    expect(chooseDpopAlg(undefined, 'Demo')).toBe('ES256');
    expect(chooseDpopAlg(['RS256', 'PS256'], 'Demo')).toBe('PS256');
    expect((await catchHttpError(Promise.resolve().then(() => chooseDpopAlg(['HS256'], 'Demo')))).message).toContain('HS256');
  });

  it('drops the query and fragment from htu', () => {
    expect(htuOf('https://rs.example:8443/fhir/Patient?name=x#y')).toBe('https://rs.example:8443/fhir/Patient');
  });
});

describe('the server’s nonce challenge (RFC 9449 §8, §9)', () => {
  const nonce = [['DPoP-Nonce', 'n-42']] as [string, string][];
  it.each([
    [{ status: 400, headers: nonce, text: '{"error":"use_dpop_nonce"}' }, 'n-42'],
    [{ status: 400, headers: [], text: '{"error":"use_dpop_nonce"}' }, null],
    [{ status: 400, headers: nonce, text: '{"error":"invalid_dpop_proof"}' }, null],
    [{ status: 401, headers: [...nonce, ['WWW-Authenticate', 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"']], text: '' }, 'n-42'],
    [{ status: 401, headers: [...nonce, ['WWW-Authenticate', 'Bearer realm="x", error="invalid_token"']], text: '' }, null],
    [{ status: 200, headers: nonce, text: '{}' }, null],
  ] as const)('reads %o as %s', (answer, expected) => {
    expect(nonceChallengeOf(answer as Parameters<typeof nonceChallengeOf>[0])).toBe(expected);
  });
});

/**
 * A strict fake authorization and resource server on loopback: it verifies each proof with jose and, by `mode`,
 * asks for its nonce once, always, or never.
 */
let mode: 'once' | 'always' | 'never' | 'refuse' | 'rotate' = 'once';
let seen: { path: string; proof?: Awaited<ReturnType<typeof verifyProof>>; authorization?: string }[] = [];
let origin = '';
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/sandbox/demo', '');
    const header = req.headers.dpop;
    const proof = typeof header === 'string' ? await verifyProof(header).catch(() => undefined) : undefined;
    seen.push({ path, proof, authorization: req.headers.authorization });
    const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
      res.end(JSON.stringify(json));
    };
    if (!proof || mode === 'refuse') return answer(400, { error: 'invalid_dpop_proof', error_description: 'DPoP proof htu mismatch' });
    const wantsNonce = mode === 'always' || ((mode === 'once' || mode === 'rotate') && proof.claims.nonce !== 'server-nonce-1' && proof.claims.nonce !== 'server-nonce-2');
    if (path === '/token') {
      if (wantsNonce) return answer(400, { error: 'use_dpop_nonce', error_description: 'nonce is required in the DPoP proof' }, { 'DPoP-Nonce': 'server-nonce-1' });
      const claims = Buffer.from(JSON.stringify({ sub: 'x', cnf: { jkt: proof.jkt }, exp: 4102444800 })).toString('base64url');
      // RFC 9449 §8.2: a server may hand out its next nonce on any answer.
      return answer(200, { access_token: `eyJhbGciOiJub25lIn0.${claims}.`, token_type: 'DPoP', expires_in: 300 }, mode === 'rotate' ? { 'DPoP-Nonce': 'server-nonce-2' } : {});
    }
    if (wantsNonce) {
      res.writeHead(401, { 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'DPoP-Nonce': 'server-nonce-1' });
      return res.end();
    }
    if (path.endsWith('.ndjson')) {
      res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
      return res.end('{"resourceType":"Patient","id":"p1"}\n');
    }
    return answer(200, { resourceType: 'Bundle', type: 'searchset', total: 0 });
  });
});
beforeAll(async () => {
  origin = await listenOnLoopback(server);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen = [];
  mode = 'once';
});

function dpopFlow(): ResolvedFlow {
  const provider = providerSchema.parse(demoProviderInput({ grant: { grantType: 'client_credentials', dpop: true, extraParams: { grant_type: 'client_credentials' } } }));
  return { provider, env: resolveEnvironment(provider, provider.environments[0]!, origin), grant: provider.grant, credential: { kind: 'custom', label: 'mine', clientId: 'client-1', clientSecret: 'secret-1-abcdef' } };
}

async function getDpopToken(ctx: ReturnType<typeof setup>, flow = dpopFlow()) {
  const prepared = await prepareTokenRequest(flow);
  return callTokenEndpoint(ctx, flow, prepared.request, { secrets: prepared.secrets, requestDeviations: [] });
}

describe('DPoP at the token endpoint', () => {
  it('answers the nonce challenge once with a new proof carrying the nonce, and gets a DPoP token bound to the session’s key', async () => {
    const ctx = setup();
    const { token } = await getDpopToken(ctx);
    expect(seen.map((s) => s.path)).toEqual(['/token', '/token']);
    const [first, second] = seen.map((s) => s.proof!);
    expect(first!.claims.nonce).toBeUndefined();
    expect(second!.claims.nonce).toBe('server-nonce-1');
    expect(second!.claims.jti).not.toBe(first!.claims.jti);
    expect(token.tokenType).toBe('DPoP');
    const key = await ctx.vault.getDpopKey(ctx.sid, 'demo');
    expect(token.dpop).toMatchObject({ alg: 'ES256', jkt: key!.jkt, tokenJkt: key!.jkt, proof: { answersNonceChallenge: true } });
    expect(token.deviations.map((d) => d.code)).not.toContain('token_type_not_bearer');

    const exchanges = await ctx.vault.listExchanges(ctx.sid);
    expect(exchanges.map((e) => [e.status, e.dpop?.answersNonceChallenge])).toEqual([
      [400, false],
      [200, true],
    ]);
    for (const e of exchanges) expect(e.request.headers).toContainEqual(['DPoP', '[redacted]']);
    const recorded = JSON.stringify(exchanges);
    expect(recorded).not.toContain(key!.privateJwk.d as string);
  });

  it('remembers the nonce, so the next request carries it without a challenge', async () => {
    const ctx = setup();
    await getDpopToken(ctx);
    seen = [];
    await getDpopToken(ctx);
    expect(seen.map((s) => s.proof?.claims.nonce)).toEqual(['server-nonce-1']);
  });

  it('takes the next nonce a server gives with a success (RFC 9449 §8.2)', async () => {
    mode = 'rotate';
    const ctx = setup();
    await getDpopToken(ctx);
    seen = [];
    await getDpopToken(ctx);
    expect(seen.map((s) => s.proof?.claims.nonce)).toEqual(['server-nonce-2']);
  });

  it('retries exactly once: a server that asks for its nonce again is explained, not looped on', async () => {
    mode = 'always';
    const error = await catchHttpError(getDpopToken(setup()));
    expect(seen).toHaveLength(2);
    expect(error.message).toContain('asked for a DPoP nonce again');
    expect(error.extra.hint).toContain('once');
  });

  it('explains a refused proof with the check the server names', async () => {
    mode = 'refuse';
    const error = await catchHttpError(getDpopToken(setup()));
    expect(seen).toHaveLength(1);
    expect(error.message).toContain('refused the DPoP proof (400 invalid_dpop_proof: DPoP proof htu mismatch)');
    expect(error.extra.hint).toContain('htu must be the exact URL');
  });
});

describe('DPoP at the resource server', () => {
  it('sends a DPoP token as DPoP with a proof whose ath is the token’s, answering the nonce challenge once', async () => {
    const ctx = setup();
    const flow = dpopFlow();
    const { token } = await getDpopToken(ctx, flow);
    await ctx.vault.putToken(ctx.sid, token);
    seen = [];
    mode = 'once';
    const recorded: unknown[] = [];
    const answer = await sendFhirRequest(flow.env, token, { method: 'GET', path: '/fhir/Patient', headers: {}, previewLines: 5 }, async (e) => void recorded.push(e), {
      dpop: { vault: ctx.vault, sid: ctx.sid, providerId: 'demo' },
    });
    expect(answer.status).toBe(200);
    expect(seen.every((s) => s.authorization === `DPoP ${token.accessToken}`)).toBe(true);
    for (const s of seen) {
      expect(s.proof?.claims).toMatchObject({ htm: 'GET', htu: `${origin}/sandbox/demo/fhir/Patient`, ath: athOf(token.accessToken) });
    }
    expect(JSON.stringify(recorded)).not.toContain(token.accessToken);
  });

  it('downloads a bulk file with the DPoP token and a proof, answering the nonce challenge once', async () => {
    const ctx = setup();
    const flow = dpopFlow();
    const { token } = await getDpopToken(ctx, flow);
    seen = [];
    const recorded: { dpop?: { answersNonceChallenge: boolean }; status: number | null }[] = [];
    const response = await openFhirDownload(flow.env, token, '/fhir/files/Patient.ndjson', async (e) => void recorded.push(e), {
      dpop: { vault: ctx.vault, sid: ctx.sid, providerId: 'demo' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"Patient"');
    expect(seen.map((s) => [s.authorization, s.proof?.claims.htm, s.proof?.claims.ath, s.proof?.claims.nonce])).toEqual([
      [`DPoP ${token.accessToken}`, 'GET', athOf(token.accessToken), undefined],
      [`DPoP ${token.accessToken}`, 'GET', athOf(token.accessToken), 'server-nonce-1'],
    ]);
    expect(recorded.map((e) => [e.status, e.dpop?.answersNonceChallenge])).toEqual([
      [401, false],
      [200, true],
    ]);
  });

  it('sends a token once and untouched when it is not DPoP-bound, and refuses a DPoP token whose key the session lost', async () => {
    let sends = 0;
    const plain = await sendWithDpop(undefined, { accessToken: 't' }, 'GET', new URL(`${origin}/fhir`), async (attempt) => {
      sends++;
      return attempt.headers;
    }, () => null, async () => undefined);
    expect(sends).toBe(1);
    expect(plain.result).toEqual([]);
    const ctx = setup();
    const error = await catchHttpError(sendWithDpop({ ...ctx, providerId: 'demo' }, { accessToken: 't', dpop: { jkt: 'gone' } }, 'GET', new URL(`${origin}/fhir`), async () => 1, () => null, async () => undefined));
    expect(error.code).toBe('reauth_required');
  });

  it('retries a resource request exactly once', async () => {
    const ctx = { ...setup(), providerId: 'demo' };
    const key = await dpopKeyFor(ctx, 'demo', 'ES256');
    let sends = 0;
    let challenged = 0;
    const challenge = { status: 401, headers: [['WWW-Authenticate', 'DPoP error="use_dpop_nonce"'], ['DPoP-Nonce', `n-${Math.random()}`]] as [string, string][] };
    await sendWithDpop(ctx, { accessToken: 't', dpop: { jkt: key.jkt } }, 'GET', new URL(`${origin}/fhir`), async () => ++sends, () => challenge, async () => void challenged++);
    expect([sends, challenged]).toEqual([2, 1]);
  });
});
