import type { DiagramStep, SpecCitation, StepCategory } from './model';

export interface StepContext {
  providerName: string;
  clientAuth?: string;
  retryAfter?: string;
  progress?: string;
  /** A refresh that came back with a new refresh token (rotation) or kept the old one. */
  rotated?: boolean;
  /** The callback carried RFC 9207's `iss`. */
  iss?: boolean;
  /** The request carried a DPoP proof (RFC 9449); `nonce` when it answered the server's nonce challenge. */
  dpop?: 'proof' | 'nonce';
  /** The authorization request went by reference: the browser carried only the pushed request's `request_uri` (RFC 9126). */
  pushed?: boolean;
  reason?: string;
}

const RFC = (n: number, section: string): SpecCitation => ({
  label: `RFC ${n} §${section}`,
  url: `https://www.rfc-editor.org/rfc/rfc${n}#section-${section}`,
});
const SMART = (label: string, anchor: string): SpecCitation => ({
  label: `SMART App Launch 2.x, ${label}`,
  url: `https://hl7.org/fhir/smart-app-launch/${anchor}`,
});
const BULK = (label: string, anchor: string): SpecCitation => ({
  label: `Bulk Data IG 2.0, ${label}`,
  url: `https://hl7.org/fhir/uv/bulkdata/export.html#${anchor}`,
});
const FHIR_REST: SpecCitation = { label: 'FHIR R4 RESTful API', url: 'https://hl7.org/fhir/R4/http.html' };

/** How the client authenticated, as a citation: Basic and form secrets are RFC 6749 §2.3.1, assertions RFC 7523. */
function clientAuthCitations(clientAuth: string | undefined): SpecCitation[] {
  if (!clientAuth) return [];
  if (clientAuth.startsWith('private_key_jwt')) return [RFC(7523, '2.2'), SMART('Backend Services', 'backend-services.html')];
  if (clientAuth.startsWith('public')) return [];
  return [RFC(6749, '2.3.1')];
}

type Described = Pick<DiagramStep, 'category' | 'title' | 'explanation' | 'citations'>;

/** A step's plain words and the spec sections it follows. */
export function describeStep(category: StepCategory, ctx: StepContext): Described {
  const who = ctx.providerName;
  const auth = ctx.clientAuth ? ` It authenticates with ${ctx.clientAuth}.` : '';
  const dpop =
    ctx.dpop === 'nonce'
      ? ' It carries a new DPoP proof with the nonce the server asked for in DPoP-Nonce.'
      : ctx.dpop === 'proof'
        ? ' It carries a DPoP proof: a JWT for this method and URL, signed by the console’s key, so the token is bound to that key.'
        : '';
  const dpopCitations = ctx.dpop ? [RFC(9449, ctx.dpop === 'nonce' ? '8' : '4')] : [];
  const d = (title: string, explanation: string, citations: SpecCitation[]): Described => ({
    category,
    title,
    explanation: `${explanation}${dpop}`,
    citations: [...citations, ...dpopCitations],
  });
  switch (category) {
    case 'par':
      return d(
        `The console pushes the authorization request to ${who}`,
        `Server to server: every authorization parameter (scopes, redirect URI, state, PKCE challenge) goes to the pushed authorization request endpoint with the client’s authentication, and comes back as a short-lived request_uri. The browser will carry only that reference.${auth}`,
        [RFC(9126, '2.1'), RFC(9126, '2.2')],
      );
    case 'authorize':
      return ctx.pushed
        ? d(
            `The browser goes to ${who}'s login page with the request_uri`,
            'The browser carries only client_id and the request_uri of the pushed request: nothing it could change or leak. The person logs in and approves the requested scopes there.',
            [RFC(9126, '4'), SMART('standalone launch', 'app-launch.html#obtain-authorization-code')],
          )
        : d(
            `The browser goes to ${who}'s login page`,
            'The console sends the browser to the authorization endpoint with a fresh state and a PKCE code challenge; the verifier stays on the console server. The person logs in and approves the requested scopes there.',
            [RFC(6749, '4.1.1'), RFC(7636, '4.3'), SMART('standalone launch', 'app-launch.html#obtain-authorization-code')],
          );
    case 'callback':
      return d(
        'The browser comes back to the console with a code',
        `The authorization server redirects the browser to the registered redirect URI with a one-time code and the same state; the console checks the state before anything else.${ctx.iss ? ' The answer names its issuer (iss), which the console checks against where it sent the browser.' : ''}`,
        [RFC(6749, '4.1.2'), ...(ctx.iss ? [RFC(9207, '2.4')] : [RFC(9207, '2')])],
      );
    case 'code-exchange':
      return d(
        'The console exchanges the code for tokens',
        `Server to server: the code, the redirect URI and the PKCE verifier go to the token endpoint; the tokens stay on the console server.${auth}`,
        [RFC(6749, '4.1.3'), RFC(7636, '4.5'), ...clientAuthCitations(ctx.clientAuth)],
      );
    case 'client-credentials':
      return d(
        'The console asks for a token with its client credentials',
        `No user is involved: the client proves who it is and gets an access token for itself.${auth}`,
        [RFC(6749, '4.4'), ...clientAuthCitations(ctx.clientAuth)],
      );
    case 'refresh':
      return d(
        'The console refreshes the token',
        `The refresh token buys a new access token without the person logging in again.${
          ctx.rotated === true
            ? ' The server rotated it: the old refresh token is now spent and the new one replaces it.'
            : ctx.rotated === false
              ? ' The server kept the same refresh token.'
              : ''
        }${auth}`,
        [RFC(6749, '6'), ...(ctx.rotated ? [RFC(9700, '4.14.2')] : []), ...clientAuthCitations(ctx.clientAuth)],
      );
    case 'token':
      return d('The console calls the token endpoint', `A token request.${auth}`, [RFC(6749, '3.2')]);
    case 'reuse':
      return d(
        'The console reuses the live token',
        `No request: the token it holds is still live, so it is handed out again.${ctx.reason ? ` ${ctx.reason}` : ''}`,
        [RFC(6749, '5.1')],
      );
    case 'introspection':
      return d(
        'The console asks whether the token is active',
        `Token introspection: the authorization server says whether the token is live and what it grants.${auth}`,
        [RFC(7662, '2.1'), RFC(7662, '2.2')],
      );
    case 'discovery':
      return d(
        'The console reads the server’s configuration',
        'Discovery: the endpoints, the capabilities and the signing keys’ location, from the well-known documents and the FHIR CapabilityStatement.',
        [SMART('conformance', 'conformance.html'), { label: 'OpenID Connect Discovery 1.0 §4', url: 'https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig' }, { label: 'FHIR R4 capabilities', url: 'https://hl7.org/fhir/R4/http.html#capabilities' }],
      );
    case 'registration':
      return d(
        'The console registers a client',
        'Dynamic client registration: the server issues a client id (and, for a confidential client, a secret) for the metadata sent.',
        [RFC(7591, '3.1'), RFC(7591, '3.2.1')],
      );
    case 'jwks':
      return d(
        'The console fetches the signing keys',
        'The authorization server’s JWK Set, to check the signature of the token it issued.',
        [RFC(7517, '5'), RFC(7515, '5.2')],
      );
    case 'api':
      return ctx.dpop
        ? d(
            `The console calls ${who}'s API with the DPoP token`,
            'The access token goes as "Authorization: DPoP <token>" with a proof whose ath is the token’s hash; the answer comes back through the console.',
            [RFC(9449, '7.1'), FHIR_REST],
          )
        : d(
            `The console calls ${who}'s API with the token`,
            'The access token goes in the Authorization header as a bearer token; the answer comes back through the console.',
            [RFC(6750, '2.1'), FHIR_REST],
          );
    case 'bulk-kickoff':
      return d(
        'The console starts a bulk export',
        'The kick-off asks for data asynchronously (Prefer: respond-async); the server answers 202 Accepted with a status URL in Content-Location.',
        [BULK('kick-off request', 'bulk-data-kick-off-request')],
      );
    case 'bulk-poll':
      return d(
        'The console polls the export’s status',
        `Still running: 202 Accepted${ctx.progress ? ` (${ctx.progress})` : ''}${ctx.retryAfter ? `, and Retry-After ${ctx.retryAfter} says when to ask again` : ''}.`,
        [BULK('status request', 'bulk-data-status-request')],
      );
    case 'bulk-manifest':
      return d(
        'The export is done: the manifest lists the files',
        'The status URL answers 200 with the manifest: transactionTime, the request, whether the files need the token, and one URL per output file.',
        [BULK('complete status', 'response---complete-status')],
      );
    case 'bulk-download':
      return d(
        'The console downloads an export file',
        'Each output file is NDJSON, one resource per line; with requiresAccessToken the token goes along.',
        [BULK('file request', 'file-request')],
      );
    case 'bulk-cancel':
      return d('The console cancels the export', 'DELETE on the status URL ends the job (202), after which the status URL answers 404.', [BULK('delete request', 'bulk-data-delete-request')]);
    case 'other':
      return d('The console calls the server', 'A request the console made for this provider.', [FHIR_REST]);
  }
}
