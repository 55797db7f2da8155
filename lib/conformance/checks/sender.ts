import 'server-only';
import { isDpopTokenType } from '@/lib/contract/dpop';
import { pass, serverCheck, skip, verdictOf, type ConformanceCheck, type ExchangeInContext, type Problem } from '../check';
import { describeValue, isAbsoluteUrl, isString, isStringArray, requestHeader, responseHeader, responseObject, urlPath, type JsonObject } from './read';
import { SPECS } from './specs';

/**
 * DPoP (RFC 9449) and pushed authorization requests (RFC 9126): what a server advertises, how it answers a pushed
 * request, a DPoP token request and a nonce challenge, and whether the token it binds is bound to the console's key.
 */

const isMetadataDocument = (path: string) => path.endsWith('/.well-known/smart-configuration') || path.endsWith('/.well-known/openid-configuration') || path.endsWith('/.well-known/oauth-authorization-server');

/** The server metadata document this exchange answered with, or undefined when it is not one (or not a 200 JSON object). */
function metadataDocument(x: ExchangeInContext): JsonObject | undefined {
  if (!isMetadataDocument(urlPath(x.exchange)) || x.exchange.status !== 200) return undefined;
  return responseObject(x.exchange);
}
const TOKEN_STEPS = ['client-credentials', 'code-exchange', 'refresh'] as const;
/** Algorithms a proof must not use: none, and the symmetric ones (RFC 9449 §4.3: an asymmetric signature). */
const NOT_FOR_PROOFS = /^(none|HS\d+)$/i;

export const senderChecks: ConformanceCheck[] = [
  serverCheck({
    id: 'sender.dpop-metadata',
    group: 'sender',
    title: 'DPoP algorithms, when advertised, are asymmetric',
    spec: SPECS.dpopMetadata,
    steps: ['discovery'],
    evaluate: (x) => {
      const document = metadataDocument(x);
      if (!document) return null;
      const algs = document.dpop_signing_alg_values_supported;
      if (algs === undefined) return skip('The server does not advertise DPoP (no dpop_signing_alg_values_supported).');
      if (!isStringArray(algs) || algs.length === 0) return verdictOf([{ message: `dpop_signing_alg_values_supported should be a non-empty array of algorithm names; it is ${describeValue(algs)}.` }], '');
      const wrong = algs.filter((alg) => NOT_FOR_PROOFS.test(alg));
      return verdictOf(
        wrong.map((alg) => ({ message: `${alg} cannot sign a DPoP proof: proofs are signed with the client's private key (RFC 9449 §4.3).` })),
        `DPoP with ${algs.join(', ')}.`,
      );
    },
  }),
  serverCheck({
    id: 'sender.par-metadata',
    group: 'sender',
    title: 'A pushed authorization request endpoint, when advertised or required, is usable',
    spec: SPECS.parMetadata,
    steps: ['discovery'],
    evaluate: (x) => {
      const document = metadataDocument(x);
      if (!document) return null;
      const endpoint = document.pushed_authorization_request_endpoint;
      const required = document.require_pushed_authorization_requests;
      if (endpoint === undefined && required !== true) return skip('The server does not offer pushed authorization requests.');
      const problems: Problem[] = [];
      if (endpoint === undefined) problems.push({ message: 'require_pushed_authorization_requests is true, but there is no pushed_authorization_request_endpoint to push to.' });
      else if (!isString(endpoint) || !isAbsoluteUrl(endpoint)) problems.push({ message: `pushed_authorization_request_endpoint should be an absolute URL; it is ${describeValue(endpoint)}.` });
      if (required !== undefined && typeof required !== 'boolean') problems.push({ message: `require_pushed_authorization_requests should be true or false; it is ${describeValue(required)}.` });
      return verdictOf(problems, `Pushed requests at ${String(endpoint)}${required === true ? ', required' : ''}.`);
    },
  }),
  serverCheck({
    id: 'sender.par-response',
    group: 'sender',
    title: 'A pushed request is answered 201 with a request_uri and its lifetime',
    spec: SPECS.parResponse,
    steps: ['par'],
    evaluate: (x) => {
      const { status } = x.exchange;
      if (status === null || (status >= 400 && status !== 400)) return null;
      const body = responseObject(x.exchange);
      if (status === 400) {
        // RFC 9126 §2.3: an error is an RFC 6749 §5.2 body; a nonce challenge is judged by sender.dpop-nonce-challenge.
        if (body?.error === 'use_dpop_nonce') return null;
        return isString(body?.error) ? pass(`Refused with ${String(body.error)}, an RFC 6749 §5.2 error body.`) : verdictOf([{ message: 'A 400 without an RFC 6749 §5.2 error body (RFC 9126 §2.3).' }], '');
      }
      const problems: Problem[] = [];
      if (status !== 201) problems.push({ message: `The answer is ${status}; RFC 9126 §2.2 answers 201 Created.`, severity: status === 200 ? 'warn' : 'fail' });
      if (!isString(body?.request_uri) || body.request_uri.length === 0) problems.push({ message: 'No request_uri in the answer.' });
      const expiresIn = body?.expires_in;
      if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn <= 0) problems.push({ message: `expires_in should be a positive number of seconds; it is ${describeValue(expiresIn)}.` });
      return verdictOf(problems, `201 with a request_uri that lives ${String(expiresIn)} s.`);
    },
  }),
  serverCheck({
    id: 'sender.dpop-token-type',
    group: 'sender',
    title: 'A token request with a DPoP proof gets a DPoP token',
    spec: SPECS.dpopTokenResponse,
    steps: TOKEN_STEPS,
    evaluate: (x) => {
      if (!x.exchange.dpop || x.exchange.status !== 200) return null;
      const tokenType = responseObject(x.exchange)?.token_type;
      if (!isString(tokenType)) return verdictOf([{ message: 'The answer has no token_type.' }], '');
      return isDpopTokenType(tokenType)
        ? pass(`token_type ${tokenType}: the token is bound to the proof's key.`)
        : verdictOf([{ message: `token_type is ${tokenType}: the server ignored the proof, so the token is not sender-constrained (RFC 9449 §5 allows it, but a copy of the token now works without the key).`, severity: 'warn' }], '');
    },
  }),
  serverCheck({
    id: 'sender.dpop-token-binding',
    group: 'sender',
    title: "A DPoP token's cnf.jkt is the thumbprint of the proof's key",
    spec: SPECS.dpopBinding,
    steps: TOKEN_STEPS,
    evaluate: (x) => {
      if (!x.exchange.dpop || x.exchange.status !== 200 || !x.token?.dpop) return null;
      const { jkt, tokenJkt } = x.token.dpop;
      if (tokenJkt === null) return skip('The access token is opaque (or a JWT without cnf): only the server knows its binding.');
      return tokenJkt === jkt ? pass(`cnf.jkt ${jkt} is the key's thumbprint.`) : verdictOf([{ message: `cnf.jkt is ${tokenJkt}, but the proof's key is ${jkt}: the token is bound to another key.` }], '');
    },
  }),
  {
    id: 'sender.dpop-nonce-challenge',
    group: 'sender',
    title: 'A DPoP nonce challenge carries the nonce',
    subject: 'server',
    activeOnly: false,
    judgesProbes: true,
    spec: SPECS.dpopNonce,
    steps: [...TOKEN_STEPS, 'par', 'api', 'bulk-kickoff', 'bulk-poll', 'bulk-manifest', 'bulk-download'],
    evaluate: (x) => {
      if (!x.exchange.dpop || x.exchange.status === null) return null;
      const body = x.exchange.status === 400 ? responseObject(x.exchange) : undefined;
      const challenge = responseHeader(x.exchange, 'www-authenticate') ?? '';
      const asked = body?.error === 'use_dpop_nonce' || (x.exchange.status === 401 && /use_dpop_nonce/.test(challenge));
      if (!asked) return null;
      return responseHeader(x.exchange, 'dpop-nonce')
        ? pass('use_dpop_nonce, with the nonce in DPoP-Nonce.')
        : verdictOf([{ message: 'use_dpop_nonce without a DPoP-Nonce header: the client has no nonce to send (RFC 9449 §8, §9).' }], '');
    },
  },
  serverCheck({
    id: 'sender.dpop-resource-challenge',
    group: 'sender',
    title: 'The API takes a DPoP token with its proof, or says why not in a DPoP challenge',
    spec: SPECS.dpopResource,
    steps: ['api', 'bulk-kickoff', 'bulk-poll', 'bulk-manifest', 'bulk-download'],
    evaluate: (x) => {
      if (!x.exchange.dpop || !requestHeader(x.exchange, 'authorization')?.startsWith('DPoP ') || x.exchange.status === null) return null;
      const { status } = x.exchange;
      if (status < 400) return pass(`${status}: the DPoP token and its proof were accepted.`);
      if (status !== 401) return null;
      const challenge = responseHeader(x.exchange, 'www-authenticate') ?? '';
      return /(^|,)\s*dpop\b/i.test(challenge)
        ? pass(`401 with a DPoP challenge: ${challenge}`)
        : verdictOf([{ message: `401 to a DPoP request without a DPoP challenge in WWW-Authenticate${challenge ? ` (it says: ${challenge})` : ''} (RFC 9449 §7.1).` }], '');
    },
  }),
];
