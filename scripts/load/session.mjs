// One simulated console user for the load run: its own cookie, its calls spread over the console instances, and
// every answer checked against what this session itself obtained. Raw tokens never reach this process (the BFF
// does not return them); a token is known by its fingerprint (HMAC prefix + length) and its JWT claims.
import { json, send } from '../bench/http.mjs';

const ONEUP_BASE = '/v1/bison/bulk-export/bulk-data/r4';
const FHIR_JSON = { Accept: 'application/fhir+json' };

/**
 * The mix: client-credentials providers whose built-in sandboxes let 200 sessions mint tokens within a few
 * minutes. Each profile names what its FHIR answers must show for the session's own client, so an answer made
 * with another session's token of another client is caught by its content, not only by the timeline.
 */
export const PROFILES = [
  {
    providerId: '1uphealth',
    presetId: 'provider-access',
    fhir: [
      { path: `${ONEUP_BASE}/Patient?_count=10`, headers: FHIR_JSON, check: (body) => body?.resourceType === 'Bundle' && body.total === 150 },
      { path: `${ONEUP_BASE}/Group`, headers: FHIR_JSON, check: (body) => groupIds(body).join() === 'bison-provider-attributed' },
    ],
  },
  {
    providerId: '1uphealth',
    presetId: 'payer-to-payer',
    fhir: [
      { path: `${ONEUP_BASE}/Patient?_count=10`, headers: FHIR_JSON, check: (body) => body?.resourceType === 'Bundle' && body.total === 40 },
      { path: `${ONEUP_BASE}/Group`, headers: FHIR_JSON, check: (body) => groupIds(body).join() === 'bison-payer-to-payer-opt-in' },
    ],
  },
  // BCDA's sandbox allows 100 tokens per 300 s per ACO, as SSAS does: the BCDA sessions are spread over its six ACOs.
  ...['extra-small', 'extra-large', 'advanced-extra-small', 'advanced-large', 'reach-extra-small', 'reach-large'].map((presetId) => ({
    providerId: 'bcda',
    presetId,
    fhir: [
      // Answers 200 only for a valid token of this sandbox; then a FHIR read of the server's CapabilityStatement.
      { path: '/auth/welcome', headers: { Accept: 'application/json' }, check: (body) => typeof body?.success === 'string' },
      { path: '/api/v2/metadata', headers: FHIR_JSON, check: (body) => body?.resourceType === 'CapabilityStatement' },
    ],
  })),
];

function groupIds(bundle) {
  return (bundle?.entry ?? []).map((entry) => entry?.resource?.id).filter(Boolean);
}

/** Session `index`'s profile: half 1upHealth (two clients), half BCDA (six ACOs), neighbours on different clients. */
export function profileFor(index) {
  if (index % 2 === 0) return PROFILES[(index / 2) % 2];
  return PROFILES[2 + ((index - 1) / 2) % 6];
}

/**
 * A console user: the session cookie the first answer set, the CSRF header and the Origin of the instance each
 * call goes to. Calls rotate over `origins` (one instance, or several sharing a Redis vault).
 */
export function createLoadUser(origins, agent, offset = 0) {
  let cookie = null;
  let next = offset;
  const call = async (method, path, payload) => {
    const origin = origins[next++ % origins.length];
    const headers = {
      ...(payload === undefined ? {} : { 'Content-Type': 'application/json', 'x-console-request': '1', Origin: origin }),
      ...(cookie ? { Cookie: cookie } : {}),
    };
    const result = await send(`${origin}${path}`, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), agent, timeoutMs: 60_000 });
    const setCookie = result.headers['set-cookie'];
    if (setCookie && setCookie.length > 0) cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
    return { ...result, origin };
  };
  return { call };
}

/** A failed check: which session, which call, what was wrong. `leak` marks a cross-session leak. */
export class LoadFailure extends Error {
  constructor(message, { leak = false } = {}) {
    super(message);
    this.leak = leak;
  }
}

/**
 * Runs one session: `rounds` × (a new token, every FHIR call of its profile, the session read back), checking
 * each answer. `record(kind, ms)` collects latencies; `registry` is shared by all sessions to find any token or
 * exchange that two sessions both see.
 */
export async function runSession({ index, user, rounds, record, registry }) {
  const profile = profileFor(index);
  const who = `session ${index} (${profile.providerId}/${profile.presetId})`;
  const own = { fingerprints: new Set(), jtis: new Set(), exchanges: new Set() };
  for (let round = 0; round < rounds; round++) {
    const tokenAnswer = await user.call('POST', `/api/oauth/${profile.providerId}/token`, {
      environmentId: 'builtin',
      credential: { kind: 'preset', presetId: profile.presetId },
      forceNew: true,
    });
    record('token', tokenAnswer.ms);
    if (tokenAnswer.status !== 200) throw new LoadFailure(`${who}: token via ${tokenAnswer.origin}: HTTP ${tokenAnswer.status} ${excerpt(tokenAnswer)}`);
    const token = json(tokenAnswer, `${who}: token`).token;
    const jti = token?.jwt?.claims?.jti;
    if (token?.reused || typeof jti !== 'string' || !token.exchangeId) throw new LoadFailure(`${who}: token answer without a new JWT (jti) and its exchange.`);
    const fp = fingerprintOf(token);
    registry.claim('token', fp, who);
    registry.claim('jti', jti, who);
    registry.claim('exchange', token.exchangeId, who);
    own.fingerprints.add(fp);
    own.jtis.add(jti);
    own.exchanges.add(token.exchangeId);

    for (const call of profile.fhir) {
      const answer = await user.call('POST', `/api/fhir/${profile.providerId}`, { environmentId: 'builtin', method: 'GET', path: call.path, headers: call.headers });
      record('fhir', answer.ms);
      if (answer.status !== 200) throw new LoadFailure(`${who}: FHIR ${call.path} via ${answer.origin}: HTTP ${answer.status} ${excerpt(answer)}`);
      const dto = json(answer, `${who}: FHIR ${call.path}`);
      if (dto.status !== 200) throw new LoadFailure(`${who}: FHIR ${call.path}: upstream answered ${dto.status} ${JSON.stringify(dto.json ?? dto.text ?? '').slice(0, 200)}`);
      if (!call.check(dto.json)) {
        throw new LoadFailure(`${who}: FHIR ${call.path} answered data that is not its own client's: ${JSON.stringify(dto.json).slice(0, 200)}`, { leak: true });
      }
      registry.claim('exchange', dto.exchangeId, who);
      own.exchanges.add(dto.exchangeId);
    }

    const sessionAnswer = await user.call('GET', '/api/session');
    record('session', sessionAnswer.ms);
    if (sessionAnswer.status !== 200) throw new LoadFailure(`${who}: GET /api/session via ${sessionAnswer.origin}: HTTP ${sessionAnswer.status} ${excerpt(sessionAnswer)}`);
    checkSession(who, json(sessionAnswer, `${who}: session`), { profile, fp, jti, own, registry });
  }
}

/**
 * What the session shows must be exactly this session's: its newest token (fingerprint, jti, client), and only
 * exchanges it caused, whose token answers carry only its own tokens' fingerprints.
 */
function checkSession(who, session, { profile, fp, jti, own, registry }) {
  const leak = (message) => new LoadFailure(`${who}: ${message}`, { leak: true });
  if (!Array.isArray(session.tokens) || session.tokens.length !== 1) {
    throw leak(`the session holds ${session.tokens?.length} tokens (${(session.tokens ?? []).map((t) => t.providerId).join(', ')}); it obtained one.`);
  }
  const [token] = session.tokens;
  if (token.providerId !== profile.providerId || token.presetId !== profile.presetId) throw leak(`the session shows a ${token.providerId}/${token.presetId} token.`);
  if (fingerprintOf(token) !== fp || token.jwt?.claims?.jti !== jti) throw leak(`the session shows token ${fingerprintOf(token)} (jti ${token.jwt?.claims?.jti}), not its own ${fp} (jti ${jti}).`);
  for (const exchange of session.exchanges ?? []) {
    // The JWKS fetch that verified this session's token is recorded in its timeline; no answer names its id.
    if (exchange.kind === 'jwks' && exchange.providerId === profile.providerId && !own.exchanges.has(exchange.id)) {
      registry.claim('exchange', exchange.id, who);
      own.exchanges.add(exchange.id);
    }
    if (!own.exchanges.has(exchange.id)) throw leak(`the timeline shows exchange ${exchange.id} (${exchange.method} ${exchange.url}), which this session did not cause.`);
    for (const match of (exchange.response?.body ?? '').matchAll(/"access_token"\s*:\s*"\[redacted hmac:([0-9a-f]{12}) (\d+) chars\]"/g)) {
      if (!own.fingerprints.has(`${match[1]}:${match[2]}`)) throw leak(`the timeline shows a token answer with token ${match[1]}, not one of this session's.`);
    }
  }
  if ((session.exchanges ?? []).length !== own.exchanges.size) {
    throw new LoadFailure(`${who}: the timeline has ${session.exchanges?.length} exchanges; this session caused ${own.exchanges.size}.`);
  }
}

function fingerprintOf(token) {
  return `${token?.fingerprint?.hmacPrefix}:${token?.fingerprint?.length}`;
}

function excerpt(result) {
  return result.body ? result.body.toString('utf8').slice(0, 300) : '';
}

/** Who saw what, across all sessions: a token, jti or exchange claimed by two sessions is a leak. */
export function createRegistry() {
  const seen = new Map();
  const leaks = [];
  return {
    claim(kind, value, who) {
      const key = `${kind}:${value}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, who);
      else if (first !== who) leaks.push(`${kind} ${value} seen by ${first} and ${who}`);
    },
    leaks,
    size: () => seen.size,
  };
}
