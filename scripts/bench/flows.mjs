// The provider calls the bench makes: direct to the upstream sandbox (as an integrator's own code would) and
// through the BFF (as the console's page does). Tokens stay in this process and are never printed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../ensure.mjs';
import { ACCEPT_ENCODING, json, send } from './http.mjs';

export const ONEUP_PRESET = 'provider-access';
export const ONEUP_TOKEN_PATH = '/sandbox/1uphealth/auth/realms/dev-portal/protocol/openid-connect/token';
/** The FHIR search of the latency measure: relative to the 1upHealth environment's origin (BFF) or absolute (direct). */
export const ONEUP_SEARCH_PATH = '/v1/bison/bulk-export/bulk-data/r4/Patient?_count=10';
const ONEUP_SCOPE = 'bulk-data|user/*.rs';

export const BCDA_MOUNT = '/sandbox/bcda';
export const BCDA_LARGE_PRESET = 'extra-large';
export const BENCH_CLIENT_ID = 'bench-large-aco';

/**
 * A preset's client id and secret, read from the provider file so the direct side uses exactly the credentials
 * the BFF's preset does. (The files are TypeScript the bench cannot import; the preset blocks are plain literals.)
 */
export function presetCredentials(providerFile, presetId) {
  const source = readFileSync(join(root, 'lib', 'providers', providerFile), 'utf8');
  const at = source.indexOf(`id: '${presetId}'`);
  if (at < 0) throw new Error(`Preset ${presetId} not found in lib/providers/${providerFile}.`);
  const block = source.slice(at, at + 600);
  const clientId = /clientId: '([^']+)'/.exec(block)?.[1];
  const clientSecret = /clientSecret: '([^']+)'/.exec(block)?.[1];
  if (!clientId || !clientSecret) throw new Error(`Preset ${presetId} in lib/providers/${providerFile} has no literal credentials.`);
  return { clientId, clientSecret };
}

/** 1upHealth's Keycloak client-credentials request, byte for byte what the BFF's recipe sends (form body, Accept). */
export async function directOneUpToken(upstream, credentials, agent) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
    scope: ONEUP_SCOPE,
  });
  const result = await send(`${upstream}${ONEUP_TOKEN_PATH}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: form.toString(),
    agent,
  });
  if (result.status !== 200) throw new Error(`Direct 1upHealth token request: HTTP ${result.status}.`);
  const token = json(result, 'Direct 1upHealth token')?.access_token;
  if (typeof token !== 'string' || token.length === 0) throw new Error('Direct 1upHealth token request: no access_token.');
  return { token, ms: result.ms };
}

/**
 * A client-credentials exchange through the BFF. `forceNew` makes the BFF mint a new token rather than reuse the
 * session's live one; the answer must say it was not reused, and its fingerprint identifies the token.
 */
export async function bffToken(user, providerId, credential, { forceNew = true } = {}) {
  // As the page does: it names the newest exchange it holds, and the answer carries only the timeline after it.
  const sessionAfter = user.newestExchange;
  const result = await user.post(`/api/oauth/${providerId}/token`, { environmentId: 'builtin', credential, forceNew, ...(sessionAfter ? { sessionAfter } : {}) });
  if (result.status !== 200) {
    throw new Error(`BFF token exchange (${providerId}): HTTP ${result.status} ${result.body.toString('utf8').slice(0, 300)}`);
  }
  const dto = json(result, `BFF token exchange (${providerId})`);
  user.newestExchange = dto?.session?.exchanges?.at(-1)?.id ?? sessionAfter;
  const fingerprint = dto?.token?.fingerprint?.hmacPrefix;
  if (typeof fingerprint !== 'string') throw new Error(`BFF token exchange (${providerId}): no token fingerprint in the answer.`);
  return { fingerprint, reused: dto.token.reused === true, ms: result.ms };
}

/** BCDA's `/auth/token` with HTTP Basic, as BCDA's docs' curl sends it. */
export async function directBcdaToken(upstream, credentials, agent) {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const result = await send(`${upstream}${BCDA_MOUNT}/auth/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
    agent,
  });
  if (result.status !== 200) throw new Error(`Direct BCDA token request (${credentials.clientId}): HTTP ${result.status}.`);
  const token = json(result, 'Direct BCDA token')?.access_token;
  if (typeof token !== 'string') throw new Error('Direct BCDA token request: no access_token.');
  return token;
}

/**
 * Runs a BCDA ExplanationOfBenefit export directly and waits for its manifest. Returns the file's absolute URL
 * (direct downloads) and its path relative to the BCDA environment (BFF downloads).
 */
export async function exportEob(upstream, token, agent) {
  const kickoff = await send(`${upstream}${BCDA_MOUNT}/api/v2/Patient/$export?_type=ExplanationOfBenefit`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', Prefer: 'respond-async' },
    agent,
  });
  const statusUrl = kickoff.headers['content-location'];
  if (kickoff.status !== 202 || typeof statusUrl !== 'string') throw new Error(`BCDA $export kick-off: HTTP ${kickoff.status}.`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await send(statusUrl, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, agent });
    if (status.status === 200) {
      const manifest = json(status, 'BCDA job manifest');
      const url = manifest.output?.find((file) => file.type === 'ExplanationOfBenefit')?.url;
      if (typeof url !== 'string') throw new Error('BCDA job manifest lists no ExplanationOfBenefit file.');
      const { pathname } = new URL(url);
      return { url, path: pathname.slice(pathname.indexOf(BCDA_MOUNT) + BCDA_MOUNT.length) };
    }
    if (status.status !== 202) throw new Error(`BCDA job status: HTTP ${status.status}.`);
    if (Date.now() > deadline) throw new Error('BCDA export did not complete within 60 s.');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Downloads a file directly with a bearer token, counting and dropping the (decoded) bytes. `acceptEncoding`:
 * `gzip, deflate` asks BCDA to compress, `identity` not.
 */
export async function directDownload(url, token, agent, acceptEncoding) {
  const result = await send(url, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+ndjson', 'Accept-Encoding': acceptEncoding },
    agent,
    consume: 'count',
    timeoutMs: 600_000,
  });
  if (result.status !== 200) throw new Error(`Direct download: HTTP ${result.status}.`);
  return result;
}

/**
 * Downloads the same file through `POST /api/fhir/bcda/download`, which must stream it (not describe an error). The
 * BFF passes a gzip preference on to BCDA and decodes the file itself; the page always gets it plain.
 */
export async function bffDownload(user, path, acceptEncoding = ACCEPT_ENCODING) {
  const result = await user.post('/api/fhir/bcda/download', { environmentId: 'builtin', path }, 'count', { 'Accept-Encoding': acceptEncoding });
  if (result.status !== 200 || result.headers['x-console-download'] !== 'stream') {
    throw new Error(`BFF download: HTTP ${result.status}, x-console-download ${result.headers['x-console-download'] ?? 'absent'}.`);
  }
  return result;
}
