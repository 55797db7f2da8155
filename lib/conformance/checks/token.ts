import 'server-only';
import { isDpopTokenType } from '@/lib/contract/dpop';
import type { CheckGroup } from '@/lib/contract/conformance';
import { requestParams, type ExchangeStep } from '@/lib/contract/exchange-steps';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { skip, verdictOf, pass, type ConformanceCheck, type ExchangeInContext, type Problem, type Verdict } from '../check';
import { authorizationParams, describeValue, isString, requestHeader, responseHeader, responseMediaType, responseObject, scopeList, type JsonObject } from './read';
import { SPECS } from './specs';

/**
 * The token endpoint's checks, one set per flow (Inferno tests each flow's token response on its own): the request the
 * console sent, the status, the response's headers and body, and an error's body.
 */

// RFC 6749 §5.2's codes, and RFC 9449 §12.2's for a DPoP proof refused or a nonce asked for.
const TOKEN_ERRORS = new Set(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_dpop_proof', 'use_dpop_nonce']);

/**
 * A DPoP nonce challenge (RFC 9449 §8) is a step of the protocol, not a refusal: the request is sent again with the
 * nonce, and that answer is the one judged (the challenge itself by sender.dpop-nonce-challenge).
 */
function isNonceChallenge(exchange: ExchangeInContext['exchange']): boolean {
  return exchange.dpop !== undefined && exchange.status === 400 && responseObject(exchange)?.error === 'use_dpop_nonce';
}

interface Flow {
  group: CheckGroup;
  step: ExchangeStep;
  grantType: string;
  name: string;
  inRequest: (params: Map<string, string>) => Problem[];
  requestSpec: { label: string; url: string };
  responseSpec: { label: string; url: string };
}

const FLOWS: Flow[] = [
  {
    group: 'standalone',
    step: 'code-exchange',
    grantType: 'authorization_code',
    name: 'code exchange',
    requestSpec: SPECS.tokenRequestCode,
    responseSpec: SPECS.launchResponse,
    inRequest: (params) => [
      ...(params.has('code') ? [] : [{ message: 'The request carries no `code`.' }]),
      ...(params.has('redirect_uri') ? [] : [{ message: 'The request carries no `redirect_uri`; RFC 6749 §4.1.3 requires it when the authorization request had one.' }]),
      ...(params.has('code_verifier') ? [] : [{ message: 'No `code_verifier`: the code is not bound by PKCE (RFC 7636 §4.5; SMART 2.2 requires S256).', severity: 'warn' as const }]),
    ],
  },
  {
    group: 'backend',
    step: 'client-credentials',
    grantType: 'client_credentials',
    name: 'client-credentials request',
    requestSpec: SPECS.tokenRequestClient,
    responseSpec: SPECS.backend,
    inRequest: (params) => {
      const assertionType = params.get('client_assertion_type');
      if (assertionType === undefined) return [];
      return [
        ...(assertionType === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' ? [] : [{ message: `\`client_assertion_type\` is "${assertionType}", not urn:ietf:params:oauth:client-assertion-type:jwt-bearer (RFC 7523 §2.2).` }]),
        ...(params.has('client_assertion') ? [] : [{ message: 'A client_assertion_type without a `client_assertion`.' }]),
        ...(params.has('scope') ? [] : [{ message: 'No `scope`: SMART Backend Services requires the system scopes the client asks for.' }]),
      ];
    },
  },
  {
    group: 'refresh',
    step: 'refresh',
    grantType: 'refresh_token',
    name: 'refresh',
    requestSpec: SPECS.refreshRequest,
    responseSpec: SPECS.refresh,
    inRequest: (params) => (params.has('refresh_token') ? [] : [{ message: 'The request carries no `refresh_token`.' }]),
  },
];

function tokenRequestProblems(flow: Flow, exchange: ExchangeDto): Problem[] {
  const problems: Problem[] = [];
  const params = requestParams(exchange);
  if (exchange.method !== 'POST') problems.push({ message: `The token request is a ${exchange.method}; RFC 6749 §3.2 requires POST.`, deviation: 'token_request_get' });
  const contentType = requestHeader(exchange, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  const body = exchange.request.body ?? '';
  if (exchange.method === 'POST' && body !== '' && contentType !== 'application/x-www-form-urlencoded') {
    problems.push({ message: `The body is ${contentType ?? 'untyped'}, not application/x-www-form-urlencoded (RFC 6749 §4.1.3, §4.4.2).`, deviation: 'json_token_request' });
  }
  const grant = params.get('grant_type');
  if (grant === undefined) problems.push({ message: `No \`grant_type\`; RFC 6749 requires grant_type=${flow.grantType}.`, deviation: 'no_grant_type' });
  else if (grant !== flow.grantType) problems.push({ message: `\`grant_type\` is "${grant}", expected ${flow.grantType}.` });
  return [...problems, ...flow.inRequest(params)];
}

/** The SMART and RFC 6749 §5.1 fields of a successful token response. */
function tokenBodyProblems(flow: Flow, x: ExchangeInContext, body: JsonObject): Problem[] {
  const problems: Problem[] = [];
  if (!isString(body.access_token)) problems.push({ message: `\`access_token\` is ${describeValue(body.access_token)}, not a string.` });
  const tokenType = body.token_type;
  if (typeof tokenType !== 'string') problems.push({ message: `\`token_type\` is ${describeValue(tokenType)}; RFC 6749 §5.1 requires it.` });
  else if (x.exchange.dpop && isDpopTokenType(tokenType)) {
    // RFC 9449 §5: the answer to a request with a proof is a DPoP token (sender.dpop-token-type judges it).
  } else if (tokenType.toLowerCase() !== 'bearer') problems.push({ message: `\`token_type\` is "${tokenType}", not Bearer.` });
  else if (tokenType !== 'Bearer') {
    problems.push({ message: `\`token_type\` is "${tokenType}": RFC 6749 §5.1 compares it case-insensitively, but SMART 2.2 spells it Bearer and clients that compare exactly will refuse it.`, severity: 'warn', deviation: 'token_type_case' });
  }
  const expiresIn = body.expires_in;
  if (expiresIn === undefined) problems.push({ message: 'No `expires_in`: the client cannot tell when the token ends (RFC 6749 §5.1 RECOMMENDED, SMART 2.2 SHALL).', severity: x.provider.smartAppLaunch ? 'fail' : 'warn' });
  else if (typeof expiresIn === 'string') problems.push({ message: `\`expires_in\` is ${describeValue(expiresIn)}; RFC 6749 §5.1 makes it a number of seconds.`, deviation: 'expires_in_string' });
  else if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 0) {
    problems.push({ message: `\`expires_in\` is ${describeValue(expiresIn)}, not a whole number of seconds.`, deviation: typeof expiresIn === 'number' ? 'expires_in_float' : undefined });
  }
  if (body.scope === undefined) {
    if (x.provider.smartAppLaunch) problems.push({ message: 'No `scope`: SMART 2.2 requires the granted scopes in the token response.' });
  } else if (typeof body.scope !== 'string') problems.push({ message: `\`scope\` is ${describeValue(body.scope)}, not a space-separated string.` });
  for (const field of ['refresh_token', 'id_token'] as const) {
    if (body[field] !== undefined && !isString(body[field])) problems.push({ message: `\`${field}\` is ${describeValue(body[field])}, not a string.` });
  }
  if (flow.group === 'backend' && body.refresh_token !== undefined) {
    problems.push({ message: 'A refresh token came back to a client-credentials request; RFC 6749 §4.4.3 says it SHOULD NOT.', severity: 'warn' });
  }
  return problems;
}

function requestedScopes(x: ExchangeInContext): string[] {
  if (x.step === 'code-exchange') {
    const authorize = [...x.earlier].reverse().find((e) => e.step === 'authorize');
    if (authorize) return scopeList(authorizationParams(authorize.exchange, x.earlier).get('scope'));
  }
  return scopeList(requestParams(x.exchange).get('scope'));
}

const answered = (x: ExchangeInContext) => x.exchange.response !== null && x.exchange.status !== null;

function flowChecks(flow: Flow): ConformanceCheck[] {
  const id = (name: string) => `${flow.group}.${name}`;
  const base = { group: flow.group, activeOnly: false, steps: [flow.step] } as const;
  return [
    {
      ...base,
      id: id('token-request'),
      title: `The console's ${flow.name} follows RFC 6749`,
      subject: 'client',
      spec: flow.requestSpec,
      evaluate: (x) => verdictOf(tokenRequestProblems(flow, x.exchange), `POST, form-encoded, grant_type=${flow.grantType} and every required parameter.`),
    },
    {
      ...base,
      id: id('token-success'),
      title: `The ${flow.name} succeeds`,
      subject: 'server',
      spec: flow.responseSpec,
      evaluate: (x) => {
        if (!answered(x)) return skip(`No answer: ${x.exchange.error ?? 'the request was not completed'}.`);
        if (isNonceChallenge(x.exchange)) return null;
        return x.exchange.status === 200 ? pass('200 OK.') : verdictOf([{ message: `The token endpoint answered ${x.exchange.status}, not 200.` }], '');
      },
    },
    {
      ...base,
      id: id('token-response-headers'),
      title: 'The token response is not cached',
      subject: 'server',
      spec: SPECS.tokenResponse,
      evaluate: (x) => {
        if (x.exchange.status !== 200) return null;
        const problems: Problem[] = [];
        const cacheControl = responseHeader(x.exchange, 'cache-control') ?? '';
        if (!/(^|,)\s*no-store\s*(,|$)/i.test(cacheControl)) problems.push({ message: `Cache-Control is ${cacheControl ? `"${cacheControl}"` : 'missing'}; RFC 6749 §5.1 requires no-store on a response that carries a token.` });
        const pragma = responseHeader(x.exchange, 'pragma') ?? '';
        // Inferno fails a token response without Pragma: no-cache (RFC 6749 §5.1), though OAuth 2.1 no longer asks for it.
        if (!/no-cache/i.test(pragma)) problems.push({ message: `Pragma is ${pragma ? `"${pragma}"` : 'missing'}; RFC 6749 §5.1 requires Pragma: no-cache, and Inferno fails its absence (OAuth 2.1 drops it).` });
        return verdictOf(problems, 'Cache-Control: no-store and Pragma: no-cache.');
      },
    },
    {
      ...base,
      id: id('token-response-body'),
      title: 'The token response has the required fields and types',
      subject: 'server',
      spec: flow.responseSpec,
      evaluate: (x) => {
        if (x.exchange.status !== 200) return null;
        const mediaType = responseMediaType(x.exchange);
        const body = responseObject(x.exchange);
        if (!body) return verdictOf([{ message: `The body is not a JSON object (${mediaType ?? 'no Content-Type'}).` }], '');
        const problems = tokenBodyProblems(flow, x, body);
        if (mediaType !== 'application/json') problems.unshift({ message: `Content-Type is ${mediaType ?? 'missing'}, not application/json (RFC 6749 §5.1).` });
        return verdictOf(problems, `access_token, token_type ${isString(body.token_type) ? body.token_type : 'Bearer'}, expires_in in seconds` + (body.scope !== undefined ? ' and scope' : '') + '.');
      },
    },
    {
      ...base,
      id: id('token-error-body'),
      title: 'A refused token request says why in RFC 6749 §5.2 form',
      unseen: 'No token request of this flow was refused, so there was no error body to read.',
      judgesProbes: true,
      subject: 'server',
      spec: SPECS.tokenError,
      evaluate: (x) => {
        const status = x.exchange.status;
        if (status === null || status < 400 || status >= 500 || isNonceChallenge(x.exchange)) return null;
        const problems: Problem[] = [];
        if (status !== 400 && status !== 401) problems.push({ message: `Refused with ${status}; RFC 6749 §5.2 answers 400 (or 401 for invalid_client).`, deviation: status === 403 ? 'unauthorized_403' : undefined });
        const body = responseObject(x.exchange);
        if (!body) problems.push({ message: `The body is not JSON (${responseMediaType(x.exchange) ?? 'no Content-Type'}); RFC 6749 §5.2 answers a JSON object with an \`error\` code.`, deviation: 'plain_text_errors' });
        else if (typeof body.error !== 'string') problems.push({ message: `The JSON has no \`error\` code (it has ${Object.keys(body).slice(0, 5).join(', ') || 'no fields'}).`, deviation: 'error_envelope' });
        else if (!TOKEN_ERRORS.has(body.error)) problems.push({ message: `\`error\` is "${body.error}", not one of RFC 6749 §5.2's codes.`, deviation: 'error_code' });
        return verdictOf(problems, `${status} with error "${String(body?.error)}".`);
      },
    },
  ];
}

/** Granted scopes against the ones asked for (SMART 2.2: the server may grant fewer, and says so in `scope`). */
const scopesGranted: ConformanceCheck = {
  id: 'standalone.scopes-granted',
  group: 'standalone',
  title: 'The granted scopes are the ones requested',
  subject: 'server',
  activeOnly: false,
  spec: SPECS.launchResponse,
  steps: ['code-exchange'],
  evaluate: (x): Verdict | null => {
    if (x.exchange.status !== 200) return null;
    const body = responseObject(x.exchange);
    if (!body || typeof body.scope !== 'string') return skip('The response carries no scope to compare.');
    const asked = requestedScopes(x);
    if (asked.length === 0) return skip('No scopes were requested.');
    const granted = scopeList(body.scope);
    const missing = asked.filter((s) => !granted.includes(s));
    const extra = granted.filter((s) => !asked.includes(s));
    if (missing.length === 0 && extra.length === 0) return pass(`Granted exactly what was asked: ${granted.join(' ')}.`);
    return verdictOf(
      [
        ...(missing.length ? [{ message: `Not granted: ${missing.join(' ')} (a server may grant fewer; the app must cope).`, severity: 'warn' as const, deviation: body.scope.includes('|') ? 'scope_pipe' : undefined }] : []),
        ...(extra.length ? [{ message: `Granted beyond the request: ${extra.join(' ')}; the app holds access it did not ask for (RFC 6749 §3.3).` }] : []),
      ],
      '',
    );
  },
};

const CONTEXT_STRINGS = ['patient', 'encounter', 'smart_style_url', 'intent', 'tenant'] as const;

/** SMART 2.2 launch context: the fields' types, and `patient` when the app asked for launch/patient. */
const launchContext: ConformanceCheck = {
  id: 'standalone.launch-context',
  group: 'standalone',
  title: 'Launch context fields have the right types',
  subject: 'server',
  activeOnly: false,
  spec: SPECS.launchContext,
  steps: ['code-exchange'],
  evaluate: (x) => {
    if (x.exchange.status !== 200) return null;
    const body = responseObject(x.exchange);
    if (!body) return null;
    const problems: Problem[] = [];
    for (const field of CONTEXT_STRINGS) if (body[field] !== undefined && !isString(body[field])) problems.push({ message: `\`${field}\` is ${describeValue(body[field])}, not a string.` });
    if (body.need_patient_banner !== undefined && typeof body.need_patient_banner !== 'boolean') problems.push({ message: `\`need_patient_banner\` is ${describeValue(body.need_patient_banner)}, not a boolean.` });
    if (body.fhirContext !== undefined) {
      const ok = Array.isArray(body.fhirContext) && body.fhirContext.every((c: unknown) => c !== null && typeof c === 'object' && ['reference', 'canonical', 'identifier'].some((k) => k in (c as object)));
      if (!ok) problems.push({ message: '`fhirContext` is not an array of objects with reference, canonical or identifier (SMART 2.2).' });
    }
    const asked = requestedScopes(x);
    if (x.provider.smartAppLaunch && asked.includes('launch/patient') && body.patient === undefined) problems.push({ message: 'launch/patient was requested and granted no `patient`.' });
    if (asked.includes('launch/encounter') && body.encounter === undefined) problems.push({ message: 'launch/encounter was requested and granted no `encounter`.', severity: 'warn' });
    const present = [...CONTEXT_STRINGS, 'need_patient_banner', 'fhirContext'].filter((f) => body[f] !== undefined);
    if (present.length === 0 && problems.length === 0) return skip('The response carries no launch context, and none was requested.');
    return verdictOf(problems, `Context ${present.join(', ')} well-typed.`);
  },
};

export const tokenChecks: ConformanceCheck[] = [...FLOWS.flatMap(flowChecks), scopesGranted, launchContext];
