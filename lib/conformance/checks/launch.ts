import 'server-only';
import { safeUrl } from '@/lib/contract/exchange-steps';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { pass, serverCheck, skip, verdictOf, type ConformanceCheck, type ExchangeInContext, type Problem } from '../check';
import { authorizationParams, capabilityStatementRest, describeValue, isAbsoluteUrl, isString, isStringArray, responseMediaType, responseObject, scopeList, urlParam, urlPath, type JsonObject } from './read';
import { SPECS } from './specs';

/** Discovery, the authorization request and response, and OpenID Connect (SMART App Launch 2.2, OIDC Core). */

const isSmartConfiguration = (e: ExchangeDto) => urlPath(e).endsWith('/.well-known/smart-configuration');
const isOpenidConfiguration = (e: ExchangeDto) => urlPath(e).endsWith('/.well-known/openid-configuration');

/** The newest JSON document of a kind among the provider's exchanges (this one included). */
function documentOf(x: ExchangeInContext, matches: (e: ExchangeDto) => boolean): JsonObject | undefined {
  const all = [...x.earlier.map((e) => e.exchange), x.exchange].reverse();
  const found = all.find((e) => matches(e) && e.status === 200);
  return found ? responseObject(found) : undefined;
}

function jsonDocumentProblems(exchange: ExchangeDto, what: string, mediaTypes = ['application/json']): { problems: Problem[]; body?: JsonObject } {
  if (exchange.status !== 200) return { problems: [{ message: `${what} answered ${exchange.status ?? exchange.error ?? 'nothing'}, not 200.` }] };
  const body = responseObject(exchange);
  if (!body) return { problems: [{ message: `${what} is not a JSON object.` }] };
  const mediaType = responseMediaType(exchange);
  const problems: Problem[] = mediaType && mediaTypes.includes(mediaType) ? [] : [{ message: `${what} is served as ${mediaType ?? 'no Content-Type'}, not ${mediaTypes.join(' or ')}.` }];
  return { problems, body };
}

const SMART_CAPABILITIES = new Set([
  'launch-ehr', 'launch-standalone', 'authorize-post', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
  'sso-openid-connect', 'context-banner', 'context-style', 'context-ehr-patient', 'context-ehr-encounter', 'context-standalone-patient',
  'context-standalone-encounter', 'permission-offline', 'permission-online', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2', 'smart-app-state',
]);

const discovery: ConformanceCheck[] = [
  serverCheck({
    id: 'discovery.smart-configuration',
    group: 'discovery',
    title: '.well-known/smart-configuration is served as JSON',
    spec: SPECS.wellKnown,
    steps: ['discovery'],
    evaluate: (x) => {
      if (!isSmartConfiguration(x.exchange)) return null;
      const { problems } = jsonDocumentProblems(x.exchange, 'The SMART configuration');
      return verdictOf(problems, '200, application/json, a JSON object.');
    },
  }),
  serverCheck({
    id: 'discovery.smart-configuration-fields',
    group: 'discovery',
    title: 'The SMART configuration has the required fields',
    spec: SPECS.wellKnownFields,
    steps: ['discovery'],
    evaluate: (x) => {
      if (!isSmartConfiguration(x.exchange)) return null;
      const body = responseObject(x.exchange);
      if (!body || x.exchange.status !== 200) return skip('No SMART configuration to read.');
      const problems: Problem[] = [];
      if (!isAbsoluteUrl(body.token_endpoint)) problems.push({ message: `\`token_endpoint\` is ${describeValue(body.token_endpoint)}, not a URL.` });
      if (!isStringArray(body.capabilities)) problems.push({ message: `\`capabilities\` is ${describeValue(body.capabilities)}, not an array of strings.` });
      if (!isStringArray(body.grant_types_supported)) problems.push({ message: `\`grant_types_supported\` is ${describeValue(body.grant_types_supported)}; SMART 2.2 requires it.` });
      if (!isStringArray(body.code_challenge_methods_supported)) problems.push({ message: `\`code_challenge_methods_supported\` is ${describeValue(body.code_challenge_methods_supported)}; SMART 2.2 requires it.` });
      const caps = isStringArray(body.capabilities) ? body.capabilities : [];
      if (caps.some((c) => c.startsWith('launch-')) && !isAbsoluteUrl(body.authorization_endpoint)) problems.push({ message: 'The server offers launches but `authorization_endpoint` is not a URL.' });
      if (caps.includes('sso-openid-connect')) {
        if (!isAbsoluteUrl(body.issuer)) problems.push({ message: 'sso-openid-connect is offered but `issuer` is not a URL (SMART 2.2: required with OpenID Connect).' });
        if (!isAbsoluteUrl(body.jwks_uri)) problems.push({ message: 'sso-openid-connect is offered but `jwks_uri` is not a URL.' });
      }
      const unknown = caps.filter((c) => !SMART_CAPABILITIES.has(c));
      if (unknown.length > 0) problems.push({ message: `Capabilities SMART 2.2 does not define: ${unknown.join(', ')}.`, severity: 'warn' });
      return verdictOf(problems, `token_endpoint, ${caps.length} capabilities, grant types and PKCE methods.`);
    },
  }),
  serverCheck({
    id: 'discovery.pkce-s256',
    group: 'discovery',
    title: 'PKCE S256 is offered, plain is not',
    spec: SPECS.wellKnownFields,
    steps: ['discovery'],
    evaluate: (x) => {
      if (!isSmartConfiguration(x.exchange)) return null;
      const methods = responseObject(x.exchange)?.code_challenge_methods_supported;
      if (!isStringArray(methods)) return skip('No code_challenge_methods_supported to read.');
      const problems: Problem[] = [];
      if (!methods.includes('S256')) problems.push({ message: 'S256 is not listed; SMART 2.2 requires it.' });
      if (methods.includes('plain')) problems.push({ message: 'plain is listed; SMART 2.2 says servers SHALL NOT support it.' });
      return verdictOf(problems, `Methods: ${methods.join(', ')}.`);
    },
  }),
  serverCheck({
    id: 'discovery.capability-statement-oauth-uris',
    group: 'discovery',
    title: "The CapabilityStatement's oauth-uris match the SMART configuration",
    spec: SPECS.capabilityStatement,
    steps: ['discovery', 'api'],
    evaluate: (x) => {
      const rest = capabilityStatementRest(x.exchange);
      if (!rest) return null;
      const extensions = rest.flatMap((r) => ((r.security as JsonObject | undefined)?.extension as JsonObject[] | undefined) ?? []);
      const oauthUris = extensions.find((e) => e.url === 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris');
      if (!oauthUris) return skip('The CapabilityStatement declares no oauth-uris (optional since SMART 2.0, which reads .well-known/smart-configuration).');
      const uris = Object.fromEntries(((oauthUris.extension as JsonObject[] | undefined) ?? []).map((e) => [String(e.url), e.valueUri]));
      const config = documentOf(x, isSmartConfiguration);
      if (!config) return pass(`oauth-uris declares token ${String(uris.token)}; no SMART configuration recorded to compare with.`);
      const problems: Problem[] = [];
      for (const [uri, field] of [['token', 'token_endpoint'], ['authorize', 'authorization_endpoint']] as const) {
        if (uris[uri] !== undefined && config[field] !== undefined && uris[uri] !== config[field]) problems.push({ message: `oauth-uris ${uri} is ${String(uris[uri])}; the SMART configuration's ${field} is ${String(config[field])}.` });
      }
      return verdictOf(problems, 'oauth-uris and the SMART configuration agree.');
    },
  }),
  serverCheck({
    id: 'discovery.openid-consistency',
    group: 'discovery',
    title: 'openid-configuration agrees with the SMART configuration',
    spec: SPECS.wellKnownFields,
    steps: ['discovery'],
    evaluate: (x) => {
      if (!isOpenidConfiguration(x.exchange) || x.exchange.status !== 200) return null;
      const openid = responseObject(x.exchange);
      const config = documentOf(x, isSmartConfiguration);
      if (!openid || !config) return skip('Needs both documents: the SMART configuration was not recorded before this one.');
      const problems: Problem[] = [];
      for (const field of ['issuer', 'jwks_uri', 'token_endpoint', 'authorization_endpoint'] as const) {
        if (openid[field] !== undefined && config[field] !== undefined && openid[field] !== config[field]) problems.push({ message: `${field}: openid-configuration says ${String(openid[field])}, the SMART configuration ${String(config[field])}.` });
      }
      return verdictOf(problems, 'issuer and endpoints agree.');
    },
  }),
];

const REQUIRED_AUTHORIZE = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state'] as const;

const standalone: ConformanceCheck[] = [
  {
    id: 'standalone.authorize-request',
    group: 'standalone',
    title: "The console's authorization request has what SMART requires",
    subject: 'client',
    activeOnly: false,
    spec: SPECS.launchRequest,
    steps: ['authorize'],
    evaluate: (x) => {
      const params = authorizationParams(x.exchange, x.earlier);
      const problems: Problem[] = REQUIRED_AUTHORIZE.filter((p) => !params.get(p)).map((p) => ({ message: `No \`${p}\`.` }));
      if (params.get('response_type') && params.get('response_type') !== 'code') problems.push({ message: `response_type is ${params.get('response_type')}, not code.` });
      if ((params.get('state') ?? '').length < 16) problems.push({ message: '`state` is shorter than 16 characters (RFC 9700 §4.7: unguessable).', severity: 'warn' });
      if (params.get('code_challenge_method') !== 'S256') problems.push({ message: `No PKCE S256 code_challenge (method ${params.get('code_challenge_method') ?? 'absent'}).`, deviation: 'pkce_undocumented', severity: 'warn' });
      if (x.provider.smartAppLaunch && !params.get('aud')) problems.push({ message: 'No `aud`: SMART 2.2 requires the FHIR base URL the token is for.' });
      const pushed = safeUrl(x.exchange.url)?.searchParams.has('request_uri') ? ' (pushed, RFC 9126: the browser carried only request_uri)' : '';
      return verdictOf(problems, 'response_type=code, client_id, redirect_uri, scope, state' + (params.get('aud') ? ', aud' : '') + ` and S256${pushed}.`);
    },
  },
  serverCheck({
    id: 'standalone.state-returned',
    group: 'standalone',
    title: '`state` comes back unchanged',
    spec: SPECS.authorizeResponse,
    steps: ['callback'],
    evaluate: (x) => {
      const authorize = [...x.earlier].reverse().find((e) => e.step === 'authorize');
      if (!authorize) return skip('The authorization request was not recorded in this session.');
      const sent = authorizationParams(authorize.exchange, x.earlier).get('state');
      const returned = urlParam(x.exchange.url, 'state');
      if (returned === null) return verdictOf([{ message: 'The callback carries no `state`; RFC 6749 §4.1.2 requires the one sent.' }], '');
      if (returned !== sent) return verdictOf([{ message: 'The callback\'s `state` differs from the one sent: a mix-up or a forged response (RFC 6749 §10.12).' }], '');
      return { ...pass('The state sent came back unchanged.'), exchangeIds: [authorize.exchange.id] };
    },
  }),
  serverCheck({
    id: 'standalone.code-received',
    group: 'standalone',
    title: 'The callback carries a code or a registered error',
    spec: SPECS.authorizeResponse,
    steps: ['callback'],
    evaluate: (x) => {
      const code = urlParam(x.exchange.url, 'code');
      const error = urlParam(x.exchange.url, 'error');
      if (code !== null) return pass('A code came back.');
      // RFC 6749 §4.1.2.1's codes, and invalid_request_uri for a request sent by reference (RFC 9126 §4, RFC 9101 §6.2).
      const registered = ['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error', 'temporarily_unavailable', 'invalid_request_uri'];
      if (error !== null) return registered.includes(error) ? pass(`The server answered error=${error}, one of RFC 6749 §4.1.2.1's codes.`) : verdictOf([{ message: `error=${error} is not one of RFC 6749 §4.1.2.1's codes.` }], '');
      return verdictOf([{ message: 'The callback carries neither a code nor an error.' }], '');
    },
  }),
];

const OIDC_REQUIRED = ['issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported'] as const;

function asked(x: ExchangeInContext): string[] {
  const authorize = [...x.earlier].reverse().find((e) => e.step === 'authorize');
  return authorize ? scopeList(authorizationParams(authorize.exchange, x.earlier).get('scope')) : [];
}

const openid: ConformanceCheck[] = [
  serverCheck({
    id: 'openid.configuration',
    group: 'openid',
    title: 'openid-configuration has the required fields',
    spec: SPECS.openidDiscovery,
    steps: ['discovery'],
    evaluate: (x) => {
      if (!isOpenidConfiguration(x.exchange)) return null;
      const { problems, body } = jsonDocumentProblems(x.exchange, 'The OpenID configuration');
      if (body) {
        for (const f of OIDC_REQUIRED) if (body[f] === undefined) problems.push({ message: `No \`${f}\`.` });
        const algs = body.id_token_signing_alg_values_supported;
        if (isStringArray(algs) && !algs.includes('RS256')) problems.push({ message: 'id_token_signing_alg_values_supported lacks RS256, which OIDC Discovery §3 requires.' });
      }
      return verdictOf(problems, 'Every required field, RS256 among the ID token algorithms.');
    },
  }),
  serverCheck({
    id: 'openid.id-token-present',
    group: 'openid',
    title: 'An ID token comes back when openid is granted',
    spec: SPECS.idToken,
    steps: ['code-exchange'],
    evaluate: (x) => {
      if (x.exchange.status !== 200 || !asked(x).includes('openid')) return null;
      const body = responseObject(x.exchange);
      if (!body) return null;
      if (!scopeList(typeof body.scope === 'string' ? body.scope : '').includes('openid') && body.scope !== undefined) return skip('openid was asked for but not granted.');
      return isString(body.id_token) ? pass('An id_token came back.') : verdictOf([{ message: 'openid was requested and granted, and no `id_token` came back (OIDC Core §3.1.3.3).', deviation: 'openid_without_id_token' }], '');
    },
  }),
  serverCheck({
    id: 'openid.id-token-claims',
    group: 'openid',
    title: 'The ID token has the required claims',
    spec: SPECS.idToken,
    steps: ['code-exchange', 'refresh'],
    evaluate: (x) => {
      const id = x.token?.idToken;
      if (!id) return null;
      const c = id.claims;
      const problems: Problem[] = [];
      for (const claim of ['iss', 'sub', 'aud', 'exp', 'iat'] as const) if (c[claim] === undefined) problems.push({ message: `No \`${claim}\`.` });
      const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
      if (c.aud !== undefined && !aud.includes(x.token?.clientId)) problems.push({ message: `\`aud\` (${JSON.stringify(c.aud)}) does not include the client id ${x.token?.clientId}.` });
      const config = documentOf(x, isOpenidConfiguration) ?? documentOf(x, isSmartConfiguration);
      if (config?.issuer !== undefined && c.iss !== undefined && config.issuer !== c.iss) problems.push({ message: `\`iss\` is ${String(c.iss)}; the server's issuer is ${String(config.issuer)}.` });
      if (typeof c.exp === 'number' && typeof c.iat === 'number' && c.exp <= c.iat) problems.push({ message: '`exp` is not after `iat`.' });
      return verdictOf(problems, 'iss, sub, aud (with the client id), exp and iat.');
    },
  }),
  serverCheck({
    id: 'openid.id-token-signature',
    group: 'openid',
    title: "The ID token's signature checks out with the server's JWKS",
    spec: SPECS.idTokenValidation,
    steps: ['code-exchange', 'refresh'],
    evaluate: (x) => {
      const id = x.token?.idToken;
      if (!id) return null;
      const { status, reason, alg } = id.verification;
      if (status === 'verified') return pass(`Verified (${alg ?? 'alg unknown'}): ${reason}`);
      if (status === 'failed') return verdictOf([{ message: `The signature did not verify: ${reason}` }], '');
      return skip(`Not checkable: ${reason}`);
    },
  }),
  serverCheck({
    id: 'openid.jwks',
    group: 'openid',
    title: 'The JWKS is served with usable keys',
    spec: SPECS.jwks,
    steps: ['jwks'],
    evaluate: (x) => {
      // RFC 7517 §8.5 registers application/jwk-set+json; most servers send plain JSON.
      const { problems, body } = jsonDocumentProblems(x.exchange, 'The JWKS', ['application/json', 'application/jwk-set+json']);
      if (body) {
        const keys = body.keys;
        if (!Array.isArray(keys) || keys.length === 0) problems.push({ message: 'No `keys` array with a key in it (RFC 7517 §5).' });
        else keys.forEach((k: unknown, i) => {
          const key = k as JsonObject;
          if (!isString(key.kty)) problems.push({ message: `Key ${i + 1} has no \`kty\`.` });
          if (key.d !== undefined) problems.push({ message: `Key ${i + 1} is a private key (it has \`d\`): a JWKS must publish public keys only.` });
        });
        if (Array.isArray(keys) && keys.length > 1 && keys.some((k: unknown) => !isString((k as JsonObject).kid))) problems.push({ message: 'Several keys and not all have a `kid`: a client cannot pick one.', severity: 'warn' });
      }
      return verdictOf(problems, `${Array.isArray(body?.keys) ? (body.keys as unknown[]).length : 0} public key(s).`);
    },
  }),
  serverCheck({
    id: 'openid.fhir-user',
    group: 'openid',
    title: 'fhirUser names a FHIR user resource',
    spec: SPECS.fhirUser,
    steps: ['code-exchange'],
    evaluate: (x) => {
      const id = x.token?.idToken;
      if (!id || !asked(x).includes('fhirUser')) return null;
      const fhirUser = id.claims.fhirUser;
      if (!isString(fhirUser)) return verdictOf([{ message: 'fhirUser was requested and the ID token has no `fhirUser` claim.' }], '');
      return /(^|\/)(Patient|Practitioner|RelatedPerson|Person)\/[A-Za-z0-9\-.]{1,64}$/.test(fhirUser)
        ? pass(`fhirUser is ${fhirUser}.`)
        : verdictOf([{ message: `fhirUser "${fhirUser}" is not a Patient, Practitioner, RelatedPerson or Person reference.` }], '');
    },
  }),
];

export const launchChecks: ConformanceCheck[] = [...discovery, ...standalone, ...openid];
