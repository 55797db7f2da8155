import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { listenOnLoopback } from '@/lib/oauth/test-helpers';

/**
 * A test fixture (issue #18 §4): a small SMART App Launch + Bulk Data server that follows the specs the checks hold
 * servers to — and breaks exactly one thing on request, so each check's test sees that check fail. Not a sandbox:
 * it auto-approves every authorization request and keeps everything in memory.
 */

export type FixtureBreak =
  | 'smart-config-html'
  | 'smart-config-no-capabilities'
  | 'smart-config-plain-pkce'
  | 'oauth-uris-mismatch'
  | 'openid-config-other-issuer'
  | 'openid-config-no-jwks-uri'
  | 'state-changed'
  | 'callback-unknown-error'
  | 'token-500'
  | 'token-cacheable'
  | 'token-expires-in-string'
  | 'token-type-mac'
  | 'token-error-plain-text'
  | 'scope-widened'
  | 'need-patient-banner-string'
  | 'no-id-token'
  | 'id-token-no-sub'
  | 'id-token-bad-signature'
  | 'jwks-private-key'
  | 'fhir-user-not-a-user'
  | 'fhir-user-unreadable'
  | 'refresh-500'
  | 'refresh-scope-refused'
  | 'refresh-no-store-missing'
  | 'refresh-expires-in-string'
  | 'refresh-refuses-plain-text'
  | 'accept-any-grant'
  | 'unknown-grant-401'
  | 'accept-any-assertion-type'
  | 'accept-any-signature'
  | 'backend-500'
  | 'backend-cacheable'
  | 'backend-no-token-type'
  | 'backend-error-plain-text'
  | 'introspect-no-client-id'
  | 'introspect-everything-active'
  | 'no-export-operations'
  | 'kickoff-200'
  | 'kickoff-open'
  | 'status-error-plain'
  | 'manifest-no-request'
  | 'file-wrong-type'
  | 'type-ignored'
  | 'since-refused'
  | 'output-format-refused'
  | 'patient-level-refused'
  | 'group-level-refused'
  | 'system-level-refused'
  | 'cancel-200'
  | 'cancelled-still-there'
  | 'fhir-text-plain'
  | 'fhir-invalid-resource'
  | 'fhir-open'
  | 'fhir-any-token'
  | 'dpop-algs-symmetric'
  | 'par-required-without-endpoint'
  | 'par-no-expires-in'
  | 'dpop-token-type-missing'
  | 'dpop-cnf-other-key'
  | 'dpop-nonce-without-header'
  | 'dpop-resource-bearer-challenge'
  | 'dpop-bearer-accepted';

export interface FixtureServer {
  origin: string;
  /** The client key the backend client signs with is registered here (its public JWKS). */
  registerClientJwks: (clientId: string, jwks: { keys: readonly { kid?: string }[] }) => void;
  setBreak: (name: FixtureBreak | null) => void;
  close: () => Promise<void>;
}

interface Grant {
  clientId: string;
  scope: string;
  redirectUri?: string;
  codeChallenge?: string;
  /** RFC 9449: the thumbprint of the key the token is bound to. */
  jkt?: string;
}

const FIXTURE_NONCE = 'fixture-dpop-nonce';

const RESOURCE_TYPES = ['Patient', 'Observation'];

export async function startFixtureServer(): Promise<FixtureServer> {
  let broken: FixtureBreak | null = null;
  const is = (name: FixtureBreak) => broken === name;
  const serverKey = await generateKeyPair('RS256', { extractable: true });
  const otherKey = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(serverKey.publicKey)), kid: 'server-1', alg: 'RS256', use: 'sig' };
  const clientJwks = new Map<string, { keys: readonly { kid?: string }[] }>();
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, Grant>();
  const jobs = new Map<string, { polls: number; types: string[]; request: string; cancelled: boolean }>();
  const pushed = new Map<string, URLSearchParams>();
  let origin = '';
  const fhirBase = () => `${origin}/fhir`;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
    res.end(text);
  };
  const fhir = (res: ServerResponse, status: number, resource: unknown) =>
    send(res, status, resource, { 'Content-Type': is('fhir-text-plain') ? 'text/plain' : 'application/fhir+json' });
  const outcome = (res: ServerResponse, status: number, text: string) =>
    fhir(res, status, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: status === 401 ? 'login' : 'invalid', diagnostics: text }] });
  const tokenError = (res: ServerResponse, status: number, error: string, plain: boolean) =>
    plain ? send(res, status, 'Bad Request') : send(res, status, { error, error_description: `Refused: ${error}` }, { 'Cache-Control': 'no-store' });

  const smartConfiguration = () => ({
    issuer: `${origin}/fhir`,
    jwks_uri: `${origin}/jwks`,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    introspection_endpoint: `${origin}/introspect`,
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: ['openid', 'fhirUser', 'launch/patient', 'offline_access', 'patient/*.rs', 'system/*.rs'],
    response_types_supported: ['code'],
    ...(is('smart-config-no-capabilities') ? {} : { capabilities: ['launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric', 'sso-openid-connect', 'context-standalone-patient', 'permission-offline', 'permission-patient', 'permission-v2'] }),
    code_challenge_methods_supported: is('smart-config-plain-pkce') ? ['S256', 'plain'] : ['S256'],
    dpop_signing_alg_values_supported: is('dpop-algs-symmetric') ? ['HS256'] : ['ES256'],
    ...(is('par-required-without-endpoint') ? {} : { pushed_authorization_request_endpoint: `${origin}/par` }),
    require_pushed_authorization_requests: is('par-required-without-endpoint'),
  });

  const openidConfiguration = () => ({
    issuer: is('openid-config-other-issuer') ? `${origin}/elsewhere` : `${origin}/fhir`,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    ...(is('openid-config-no-jwks-uri') ? {} : { jwks_uri: `${origin}/jwks` }),
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  });

  const capabilityStatement = () => ({
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'token', valueUri: is('oauth-uris-mismatch') ? `${origin}/other-token` : `${origin}/token` },
                { url: 'authorize', valueUri: `${origin}/authorize` },
              ],
            },
          ],
        },
        resource: [
          { type: 'Patient', ...(is('no-export-operations') ? {} : { operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export' }] }) },
          { type: 'Group', ...(is('no-export-operations') ? {} : { operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export' }] }) },
        ],
        ...(is('no-export-operations') ? {} : { operation: [{ name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' }] }),
      },
    ],
  });

  const patient = (id: string) => ({ resourceType: 'Patient', id, name: [{ family: 'Fixture', given: ['Pat'] }], ...(is('fhir-invalid-resource') ? { gender: 'sometimes' } : { gender: 'female' }) });

  const issueTokens = async (res: ServerResponse, grant: Grant, kind: 'code' | 'refresh' | 'backend') => {
    // A DPoP-bound token is a JWT that names its key (RFC 9449 §6.1); a bearer token is opaque.
    const accessToken = grant.jkt
      ? await new SignJWT({ scope: grant.scope, client_id: grant.clientId, cnf: { jkt: is('dpop-cnf-other-key') ? 'another-key-thumbprint' : grant.jkt } })
          .setProtectedHeader({ alg: 'RS256', kid: 'server-1', typ: 'at+jwt' })
          .setIssuer(`${origin}/fhir`)
          .setAudience(fhirBase())
          .setSubject('p1')
          .setIssuedAt()
          .setExpirationTime('5m')
          .setJti(randomUUID())
          .sign(serverKey.privateKey)
      : `fixture-at-${randomUUID()}`;
    accessTokens.set(accessToken, grant);
    const body: Record<string, unknown> = { access_token: accessToken, token_type: grant.jkt ? 'DPoP' : 'Bearer', expires_in: 300, scope: grant.scope };
    if (grant.jkt && is('dpop-token-type-missing')) delete body.token_type;
    if (kind !== 'backend') {
      const refreshToken = `fixture-rt-${randomUUID()}`;
      refreshTokens.set(refreshToken, grant);
      body.refresh_token = refreshToken;
      body.patient = 'p1';
      body.need_patient_banner = is('need-patient-banner-string') ? 'true' : true;
      if (grant.scope.split(' ').includes('openid') && !is('no-id-token')) {
        const claims: Record<string, unknown> = { fhirUser: is('fhir-user-not-a-user') ? `${fhirBase()}/Observation/o1` : `${fhirBase()}/Patient/p1` };
        const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'server-1' }).setIssuer(`${origin}/fhir`).setAudience(grant.clientId).setIssuedAt().setExpirationTime('5m');
        if (!is('id-token-no-sub')) jwt.setSubject('p1');
        body.id_token = await jwt.sign(is('id-token-bad-signature') ? otherKey.privateKey : serverKey.privateKey);
      }
    }
    if ((kind === 'code' && is('token-expires-in-string')) || (kind === 'refresh' && is('refresh-expires-in-string'))) body.expires_in = '300';
    if (kind === 'code' && is('token-type-mac')) body.token_type = 'mac';
    if (kind === 'backend' && is('backend-no-token-type')) delete body.token_type;
    if (kind === 'code' && is('scope-widened')) body.scope = `${grant.scope} user/*.cruds`;
    const cacheable = (kind === 'code' && is('token-cacheable')) || (kind === 'refresh' && is('refresh-no-store-missing')) || (kind === 'backend' && is('backend-cacheable'));
    send(res, 200, body, cacheable ? { 'Cache-Control': 'max-age=60' } : { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  };

  /** The DPoP proof's key thumbprint; its nonce must be the fixture's (RFC 9449 §8), or the answer is the challenge. */
  const dpopProof = async (req: IncomingMessage, res: ServerResponse): Promise<{ jkt?: string } | null> => {
    const proof = req.headers.dpop;
    if (typeof proof !== 'string') return {};
    const header = decodeProtectedHeader(proof);
    if (decodeJwt(proof).nonce !== FIXTURE_NONCE) {
      send(res, 400, { error: 'use_dpop_nonce', error_description: 'Use the nonce in DPoP-Nonce' }, { 'Cache-Control': 'no-store', ...(is('dpop-nonce-without-header') ? {} : { 'DPoP-Nonce': FIXTURE_NONCE }) });
      return null;
    }
    return { jkt: await calculateJwkThumbprint(header.jwk as JWK, 'sha256') };
  };

  const token = async (req: IncomingMessage, res: ServerResponse, form: URLSearchParams) => {
    const grantType = form.get('grant_type');
    const proof = await dpopProof(req, res);
    if (!proof) return;
    if (grantType === 'authorization_code') {
      if (is('token-500')) return send(res, 500, { error: 'server_error' });
      const grant = codes.get(form.get('code') ?? '');
      if (!grant || is('token-error-plain-text')) return tokenError(res, 400, 'invalid_grant', is('token-error-plain-text'));
      codes.delete(form.get('code') ?? '');
      return issueTokens(res, { ...grant, jkt: proof.jkt }, 'code');
    }
    if (grantType === 'refresh_token') {
      if (is('refresh-500')) return send(res, 500, { error: 'server_error' });
      const grant = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!grant || (form.get('scope') && is('refresh-scope-refused')) || is('refresh-refuses-plain-text')) return tokenError(res, 400, 'invalid_grant', is('refresh-refuses-plain-text'));
      refreshTokens.delete(form.get('refresh_token') ?? '');
      return issueTokens(res, { ...grant, jkt: proof.jkt }, 'refresh');
    }
    const plain = is('backend-error-plain-text');
    if (grantType !== 'client_credentials' && !is('accept-any-grant')) return tokenError(res, is('unknown-grant-401') ? 401 : 400, 'unsupported_grant_type', plain);
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' && !is('accept-any-assertion-type')) return tokenError(res, 401, 'invalid_client', plain);
    const assertion = form.get('client_assertion') ?? '';
    let clientId: string;
    try {
      clientId = String(decodeJwt(assertion).iss);
      const kid = decodeProtectedHeader(assertion).kid;
      const known = clientJwks.get(clientId)?.keys.some((k) => k.kid === kid);
      if (!known && !is('accept-any-signature')) return tokenError(res, 401, 'invalid_client', plain);
    } catch {
      return tokenError(res, 401, 'invalid_client', plain);
    }
    if (is('backend-500')) return send(res, 500, { error: 'server_error' });
    void req;
    return issueTokens(res, { clientId, scope: form.get('scope') ?? 'system/*.rs' }, 'backend');
  };

  /** The grant of the request's token: a bearer token as Bearer, a DPoP-bound one as DPoP with a proof (RFC 9449 §7). */
  const bearer = (req: IncomingMessage): Grant | null => {
    const match = /^(Bearer|DPoP) (.+)$/.exec(req.headers.authorization ?? '');
    if (!match) return null;
    const grant = accessTokens.get(match[2]!);
    if (grant?.jkt && match[1] === 'Bearer' && !is('dpop-bearer-accepted')) return null;
    if (grant && match[1] === 'DPoP' && (!grant.jkt || typeof req.headers.dpop !== 'string')) return null;
    return grant ?? (is('fhir-any-token') ? { clientId: '?', scope: '' } : null);
  };
  /** 401 with the challenge of the scheme the request used (RFC 9449 §7.1 for DPoP). */
  const unauthorized = (req: IncomingMessage, res: ServerResponse) => {
    const dpop = /^DPoP /.test(req.headers.authorization ?? '');
    res.writeHead(401, { 'Content-Type': 'application/fhir+json', 'WWW-Authenticate': dpop && !is('dpop-resource-bearer-challenge') ? 'DPoP error="invalid_token", algs="ES256"' : 'Bearer error="invalid_token"' });
    res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'No usable token' }] }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname;
    if (path === '/fhir/.well-known/smart-configuration') return is('smart-config-html') ? send(res, 200, '<html>SMART</html>', { 'Content-Type': 'text/html' }) : send(res, 200, smartConfiguration());
    if (path === '/fhir/.well-known/openid-configuration') return send(res, 200, openidConfiguration());
    if (path === '/jwks') return send(res, 200, { keys: [is('jwks-private-key') ? { ...(await exportJWK(serverKey.privateKey)), kid: 'server-1' } : publicJwk] });
    if (path === '/fhir/metadata') return fhir(res, 200, capabilityStatement());
    if (path === '/authorize') {
      // RFC 9126 §4: a request by reference uses the pushed parameters only.
      const params = pushed.get(url.searchParams.get('request_uri') ?? '') ?? url.searchParams;
      const redirect = new URL(params.get('redirect_uri') ?? '');
      const code = `fixture-code-${randomUUID()}`;
      codes.set(code, { clientId: params.get('client_id') ?? '', scope: params.get('scope') ?? '', redirectUri: redirect.toString(), codeChallenge: params.get('code_challenge') ?? undefined });
      if (is('callback-unknown-error')) redirect.searchParams.set('error', 'computer_says_no');
      else redirect.searchParams.set('code', code);
      redirect.searchParams.set('state', is('state-changed') ? `${params.get('state')}x` : (params.get('state') ?? ''));
      res.writeHead(302, { Location: redirect.toString() });
      return res.end();
    }
    // Lenient about the body's format: a JSON token request (the console's recipe broken on purpose) still gets a token.
    const form = body.trimStart().startsWith('{') ? new URLSearchParams(JSON.parse(body) as Record<string, string>) : new URLSearchParams(body);
    if (path === '/token') return token(req, res, form);
    if (path === '/par') {
      const requestUri = `urn:ietf:params:oauth:request_uri:${randomUUID()}`;
      form.delete('client_secret');
      pushed.set(requestUri, form);
      return send(res, 201, { request_uri: requestUri, ...(is('par-no-expires-in') ? {} : { expires_in: 60 }) }, { 'Cache-Control': 'no-store' });
    }
    if (path === '/introspect') {
      const grant = accessTokens.get(new URLSearchParams(body).get('token') ?? '');
      if (!grant && !is('introspect-everything-active')) return send(res, 200, { active: false });
      return send(res, 200, { active: true, scope: grant?.scope ?? 'system/*.rs', ...(is('introspect-no-client-id') ? {} : { client_id: grant?.clientId ?? 'someone' }), exp: Math.floor(Date.now() / 1000) + 300 });
    }
    const exportMatch = /^\/fhir(?:\/(Patient)|\/Group\/([^/]+))?\/\$export$/.exec(path);
    if (exportMatch) {
      if (!bearer(req) && !is('kickoff-open')) return outcome(res, 401, 'No token');
      const level = exportMatch[1] ? 'patient' : exportMatch[2] ? 'group' : 'system';
      if (is(`${level}-level-refused` as FixtureBreak)) return outcome(res, 400, `${level} export is off`);
      if (url.searchParams.get('_since') && is('since-refused')) return outcome(res, 400, '_since not supported');
      if (url.searchParams.get('_outputFormat') && is('output-format-refused')) return outcome(res, 400, '_outputFormat not supported');
      if (is('kickoff-200')) return fhir(res, 200, { resourceType: 'Bundle', type: 'collection' });
      const types = url.searchParams.get('_type') && !is('type-ignored') ? url.searchParams.get('_type')!.split(',') : RESOURCE_TYPES;
      const id = randomUUID();
      jobs.set(id, { polls: 0, types, request: url.toString(), cancelled: false });
      res.writeHead(202, { 'Content-Location': `${fhirBase()}/jobs/${id}` });
      return res.end();
    }
    const jobMatch = /^\/fhir\/jobs\/([^/]+)$/.exec(path);
    if (jobMatch) {
      const job = jobs.get(jobMatch[1]!);
      if (!bearer(req)) return outcome(res, 401, 'No token');
      if (!job || (job.cancelled && !is('cancelled-still-there'))) return outcome(res, 404, 'No such job');
      if (req.method === 'DELETE') {
        job.cancelled = true;
        return is('cancel-200') ? fhir(res, 200, { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] }) : outcome(res, 202, 'Cancelled');
      }
      job.polls += 1;
      if (is('status-error-plain')) return send(res, 500, 'Internal Server Error');
      if (job.polls === 1) {
        res.writeHead(202, { 'X-Progress': 'in progress', 'Retry-After': '0' });
        return res.end();
      }
      const manifest = {
        transactionTime: new Date().toISOString(),
        ...(is('manifest-no-request') ? {} : { request: job.request }),
        requiresAccessToken: true,
        output: job.types.map((type) => ({ type, url: `${fhirBase()}/files/${jobMatch[1]}/${type}.ndjson` })),
        error: [],
      };
      return send(res, 200, manifest, { Expires: new Date(Date.now() + 3_600_000).toUTCString() });
    }
    const fileMatch = /^\/fhir\/files\/[^/]+\/([A-Za-z]+)\.ndjson$/.exec(path);
    if (fileMatch) {
      if (!bearer(req)) return outcome(res, 401, 'No token');
      const type = is('file-wrong-type') ? 'Observation' : fileMatch[1]!;
      const line = (i: number) => JSON.stringify(type === 'Patient' ? patient(`p${i}`) : { resourceType: type, id: `o${i}`, status: 'final', code: { text: 'Fixture' } });
      res.writeHead(200, { 'Content-Type': 'application/fhir+ndjson' });
      return res.end(`${line(1)}\n${line(2)}\n`);
    }
    if (path === '/fhir/Patient' || path === '/fhir/Patient/p1' || path === '/fhir/Observation/o1') {
      if (!bearer(req) && !is('fhir-open')) return unauthorized(req, res);
      if (is('dpop-resource-bearer-challenge') && /^DPoP /.test(req.headers.authorization ?? '')) return unauthorized(req, res);
      if (path === '/fhir/Patient/p1' && is('fhir-user-unreadable')) return outcome(res, 403, 'Not yours');
      if (path === '/fhir/Observation/o1') return fhir(res, 200, { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Fixture' } });
      if (path === '/fhir/Patient/p1') return fhir(res, 200, patient('p1'));
      return fhir(res, 200, { resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ fullUrl: `${fhirBase()}/Patient/p1`, resource: patient('p1') }] });
    }
    return outcome(res, 404, `No route ${path}`);
  };

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      handle(req, res, body).catch(() => send(res, 500, { error: 'server_error' }));
    });
  });
  origin = await listenOnLoopback(server);
  return {
    origin,
    registerClientJwks: (clientId, jwks) => clientJwks.set(clientId, jwks),
    setBreak: (name) => (broken = name),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
