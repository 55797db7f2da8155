import { getHeader } from '@/lib/contract/headers';
import { PROGRAM_REDIRECT_URI } from '@/lib/contract/oauth';
import { isBrowserLeg, type ExchangeDto, type ProviderDto, type ProviderEnvironmentDto, type TokenDto } from '@/lib/contract/schemas';
import { examplesFor, getEffectiveEndpoints } from '@/lib/client/effective-flow';
import { getEnvironmentRoot } from '@/lib/client/environment-path';
import { toSegments, type Segment } from '@/lib/client/timeline/placeholders';

/**
 * What a generated program does, read from what the console did: the recorded (server-redacted) exchanges of the
 * flow, the token it got and the provider's catalogue entry. Every redaction mark becomes a variable the program
 * fills at run time (from the environment, or from an earlier answer), so nothing secret can be in the recipe: the
 * page never had it.
 */

/** How a variable's value is written into its place. */
export type Encoding = 'form' | 'json' | 'raw';

export interface TemplatePart {
  segments: Segment[];
  encoding: Encoding;
}

export interface RequestTemplate {
  method: string;
  url: TemplatePart;
  /** Headers as sent, minus those the HTTP client sets itself and the Authorization the program computes. */
  headers: { name: string; value: TemplatePart }[];
  /** `Authorization: Basic base64(CLIENT_ID:CLIENT_SECRET)` (RFC 7617), as the console sent it. */
  basicAuth: boolean;
  body: TemplatePart | null;
}

export interface ProgramVariable {
  name: string;
  description: string;
  /** Read from the environment; the program stops with a clear message when a required one is unset. */
  fromEnvironment: boolean;
  required: boolean;
  /** Public defaults only: the client id, the redirect URI. */
  defaultValue?: string;
}

export interface FlowRecipe {
  providerName: string;
  environmentLabel: string;
  environmentKind: ProviderEnvironmentDto['kind'];
  grantType: 'client_credentials' | 'authorization_code';
  /** What the console's token request did, in words, for the program's header. */
  clientAuthentication: string;
  authorize: { url: TemplatePart; pkce: boolean } | null;
  token: RequestTemplate;
  refresh: RequestTemplate | null;
  /** private_key_jwt (RFC 7523 §2.2): the assertion is signed by the program with the same alg, kid and audience. */
  assertion: { alg: string; kid?: string; audience: string } | null;
  firstCall: { method: string; url: string; headers: [string, string][] } | null;
  bulk: { kickoffUrl: string; headers: [string, string][] } | null;
  /** The provider's quirks the program handles (string `expires_in`, lower-case `bearer` …), for comments. */
  quirks: string[];
  variables: ProgramVariable[];
}


export interface FlowRecipeInput {
  provider: ProviderDto;
  environment: ProviderEnvironmentDto;
  token: TokenDto;
  exchanges: readonly ExchangeDto[];
  /** The console's origin as the browser sees it: where a built-in sandbox is reached from this machine. */
  consoleOrigin: string;
}

export class FlowRecipeError extends Error {}

/** Headers the HTTP client writes itself, or that only described the console's connection. */
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'accept-encoding', 'user-agent', 'authorization', 'x-console-internal']);

/** The token's flow as a recipe; throws FlowRecipeError when the session no longer holds what it needs. */
export function buildFlowRecipe({ provider, environment, token, exchanges, consoleOrigin }: FlowRecipeInput): FlowRecipe {
  const own = exchanges.filter((e) => e.providerId === provider.id && e.environmentId === token.environmentId);
  const moved = (url: string) => (environment.kind === 'builtin' ? onOrigin(url, consoleOrigin) : url);
  const tokenExchanges = own.filter((e) => e.kind === 'token' && e.status !== null && e.status < 300);
  const grantExchange = [...tokenExchanges].reverse().find((e) => grantOf(e) !== 'refresh_token');
  if (!grantExchange) {
    throw new FlowRecipeError('The session no longer holds the token request of this flow (the timeline keeps the last 200 exchanges). Get a new token, then export.');
  }
  if (token.dpop) {
    throw new FlowRecipeError(
      'This flow’s tokens are DPoP-bound (RFC 9449): every request needs a proof signed by the console’s key, which never leaves its server, and the exported programs do not sign DPoP proofs. Export a flow without DPoP.',
    );
  }
  const authorizing = token.grantType === 'authorization_code';
  const authorizeExchange = authorizing ? [...own].reverse().find((e) => e.kind === 'authorize') : undefined;
  if (authorizing && !authorizeExchange) {
    throw new FlowRecipeError('The session no longer holds the authorization request of this flow. Authorize again, then export.');
  }
  const authorizeUrl = authorizeExchange ? authorizationByValue(authorizeExchange, own, moved) : undefined;

  const tokenTemplate = toTemplate(grantExchange, moved);
  const recordedRefresh = [...tokenExchanges].reverse().find((e) => grantOf(e) === 'refresh_token');
  const refresh = recordedRefresh
    ? toTemplate(recordedRefresh, moved)
    : token.refresh
      ? toTemplate(asRefresh(grantExchange), moved)
      : null;

  const endpoints = getEffectiveEndpoints(provider, environment, token.presetId);
  const root = moved(getEnvironmentRoot(endpoints));
  const examples = examplesFor(provider, environment, token.presetId);
  const firstCall = firstCallOf(own, examples.usable, root, moved);
  const kickoff = examples.usable.find((r) => r.bulkExport && r.method === 'GET');

  const assertion = token.clientAssertion
    ? {
        alg: String(token.clientAssertion.header.alg ?? 'RS384'),
        ...(typeof token.clientAssertion.header.kid === 'string' ? { kid: token.clientAssertion.header.kid } : {}),
        audience: typeof token.clientAssertion.claims.aud === 'string' ? moved(token.clientAssertion.claims.aud) : tokenTemplateUrl(grantExchange, moved),
      }
    : null;

  const used = new Set<string>([
    ...variablesIn(tokenTemplate),
    ...(refresh ? variablesIn(refresh) : []),
  ]);
  const authorize = authorizeUrl ? { url: toPart(authorizeUrlTemplate(moved(authorizeUrl)), 'form'), pkce: authorizeUrl.includes('code_challenge=') } : null;
  if (authorize) for (const s of authorize.url.segments) if ('variable' in s) used.add(s.variable);
  if (tokenTemplate.basicAuth || refresh?.basicAuth) used.add('CLIENT_ID').add('CLIENT_SECRET');

  return {
    providerName: provider.name,
    environmentLabel: environment.label,
    environmentKind: environment.kind,
    grantType: token.grantType,
    clientAuthentication: describeClientAuth(grantExchange, tokenTemplate),
    authorize,
    token: tokenTemplate,
    refresh,
    assertion,
    firstCall,
    bulk: kickoff ? { kickoffUrl: `${root}${kickoff.path}`, headers: Object.entries(kickoff.headers) } : null,
    quirks: token.deviations.filter((d) => d.known).map((d) => d.message),
    variables: describeVariables(used, token, !!assertion),
  };
}

function onOrigin(url: string, origin: string): string {
  try {
    const parsed = new URL(url);
    return `${origin}${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function tokenTemplateUrl(exchange: ExchangeDto, moved: (url: string) => string): string {
  const url = new URL(moved(exchange.url));
  return `${url.origin}${url.pathname}`;
}

/** `grant_type` of a recorded token request (form, JSON or query); null when it sent none (BCDA, Candid). */
function grantOf(exchange: ExchangeDto): string | null {
  const params = bodyParams(exchange);
  const fromQuery = safeUrl(exchange.url)?.searchParams.get('grant_type') ?? null;
  return params?.get('grant_type') ?? fromQuery;
}

function bodyParams(exchange: ExchangeDto): Map<string, string> | null {
  const body = exchange.request.body;
  if (!body) return null;
  if (body.trimStart().startsWith('{')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      return new Map(Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return null;
    }
  }
  return new Map(new URLSearchParams(body));
}

/** The grant's request turned into the refresh request (RFC 6749 §6): same client authentication, same format. */
function asRefresh(exchange: ExchangeDto): ExchangeDto {
  const body = exchange.request.body ?? '';
  const drop = new Set(['code', 'code_verifier', 'redirect_uri', 'grant_type', 'scope']);
  const mark = '[redacted]';
  if (body.trimStart().startsWith('{')) {
    const json = JSON.parse(body) as Record<string, unknown>;
    const kept = Object.fromEntries(Object.entries(json).filter(([k]) => !drop.has(k)));
    return { ...exchange, request: { ...exchange.request, body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: mark, ...kept }) } };
  }
  const params = new URLSearchParams(body);
  const next = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: mark });
  for (const [k, v] of params) if (!drop.has(k)) next.append(k, v);
  return { ...exchange, request: { ...exchange.request, body: next.toString() } };
}

function toTemplate(exchange: ExchangeDto, moved: (url: string) => string): RequestTemplate {
  const contentType = getHeader(exchange.request.headers, 'content-type') ?? '';
  const encoding: Encoding = contentType.includes('json') ? 'json' : contentType.includes('x-www-form-urlencoded') ? 'form' : 'raw';
  const authorization = getHeader(exchange.request.headers, 'authorization');
  let body = exchange.request.body;
  // The console's redirect URI was registered for the console; the program's own is its listener's.
  if (body && grantOf(exchange) === 'authorization_code') body = withRedirectVariable(body, encoding);
  return {
    method: exchange.method.toUpperCase(),
    url: toPart(moved(exchange.url), 'form'),
    headers: exchange.request.headers
      .filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => ({ name, value: toPart(value, 'raw') })),
    basicAuth: authorization?.trim().toLowerCase().startsWith('basic') ?? false,
    body: body === null ? null : toPart(body, encoding),
  };
}

function withRedirectVariable(body: string, encoding: Encoding): string {
  if (encoding === 'json') {
    const json = JSON.parse(body) as Record<string, unknown>;
    return 'redirect_uri' in json ? JSON.stringify({ ...json, redirect_uri: '[redacted]' }) : body;
  }
  const params = new URLSearchParams(body);
  if (!params.has('redirect_uri')) return body;
  params.set('redirect_uri', '[redacted]');
  return params.toString();
}

/**
 * The authorization request with its parameters in the URL. The console pushed it (RFC 9126: the browser carried only
 * `request_uri`), and the program sends them through the browser instead, as any server that does not require the push
 * takes them: the pushed request's parameters, without the client's authentication.
 */
function authorizationByValue(authorize: ExchangeDto, exchanges: readonly ExchangeDto[], moved: (url: string) => string): string {
  const url = new URL(authorize.url);
  if (!url.searchParams.has('request_uri')) return authorize.url;
  const pushed = [...exchanges].reverse().find((e) => e.kind === 'par' && e.status !== null && e.status < 300 && e.startedAt <= authorize.startedAt);
  if (!pushed?.request.body) throw new FlowRecipeError('The session no longer holds the pushed authorization request of this flow. Authorize again, then export.');
  const params = new URLSearchParams(pushed.request.body);
  for (const name of ['client_secret', 'client_assertion', 'client_assertion_type']) params.delete(name);
  // The push named the FHIR base as the console's server reaches it; the browser names it as the program does.
  const aud = params.get('aud');
  if (aud) params.set('aud', moved(aud));
  return `${url.origin}${url.pathname}?${params}`;
}

/** The authorize URL with this run's values (state, PKCE challenge, nonce, redirect URI) as variables. */
function authorizeUrlTemplate(url: string): string {
  const parsed = new URL(url);
  for (const name of ['state', 'code_challenge', 'redirect_uri', 'nonce']) {
    if (parsed.searchParams.has(name)) parsed.searchParams.set(name, '[redacted]');
  }
  return parsed.toString();
}

function toPart(text: string, encoding: Encoding): TemplatePart {
  return { segments: toSegments(text), encoding };
}

function variablesIn(template: RequestTemplate): string[] {
  const parts = [template.url, ...template.headers.map((h) => h.value), ...(template.body ? [template.body] : [])];
  return parts.flatMap((part) => part.segments.flatMap((s) => ('variable' in s ? [s.variable] : [])));
}

/** The latest data request the console sent with this token, else the provider's first example it can send. */
function firstCallOf(
  exchanges: readonly ExchangeDto[],
  examples: readonly ProviderDto['defaultRequests'][number][],
  root: string,
  moved: (url: string) => string,
): FlowRecipe['firstCall'] {
  const recorded = [...exchanges]
    .reverse()
    .find((e) => e.kind === 'fhir' && e.method === 'GET' && e.status !== null && e.status < 300 && !e.url.includes('$export') && !isBrowserLeg(e) && !/\/jobs\/|\/data\//.test(e.url));
  if (recorded) {
    const headers = recorded.request.headers.filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())).map(([n, v]) => [n, v] as [string, string]);
    return { method: 'GET', url: moved(recorded.url), headers };
  }
  const example = examples.find((r) => r.group === 'data' && r.method === 'GET') ?? examples.find((r) => r.method === 'GET' && !r.bulkExport);
  return example ? { method: 'GET', url: `${root}${example.path}`, headers: Object.entries(example.headers) } : null;
}

function describeClientAuth(exchange: ExchangeDto, template: RequestTemplate): string {
  const body = exchange.request.body ?? '';
  const how = template.basicAuth
    ? 'HTTP Basic (RFC 7617)'
    : body.includes('client_assertion')
      ? 'a signed client assertion, private_key_jwt (RFC 7523)'
      : body.includes('client_secret')
        ? `the client secret in the ${template.body?.encoding === 'json' ? 'JSON' : 'form'} body`
        : 'the client id only (a public client)';
  const format = template.body === null || template.body.segments.length === 0 ? 'an empty body' : template.body.encoding === 'json' ? 'a JSON body' : 'a form body';
  return `${exchange.method.toUpperCase()} with ${format}, authenticated with ${how}`;
}

const DESCRIPTIONS: Record<string, string> = {
  CLIENT_ID: 'the client id (public; the default is the one the console used)',
  CLIENT_SECRET: 'the client secret',
  PRIVATE_KEY_FILE: 'path to the PKCS#8 PEM private key whose public key the server has for this client',
  REDIRECT_URI: 'where the program listens for the authorization callback; register it with your app',
};

/** Values the program learns as it runs, never from the environment. */
const RUNTIME = new Set(['CODE', 'CODE_VERIFIER', 'STATE', 'CODE_CHALLENGE', 'NONCE', 'REFRESH_TOKEN', 'ACCESS_TOKEN', 'CLIENT_ASSERTION']);

function describeVariables(used: Set<string>, token: TokenDto, signs: boolean): ProgramVariable[] {
  const out: ProgramVariable[] = [];
  const names = [...used].filter((name) => !RUNTIME.has(name));
  if (signs) names.push('PRIVATE_KEY_FILE');
  if (!names.includes('CLIENT_ID')) names.unshift('CLIENT_ID');
  for (const name of [...new Set(names)]) {
    const defaultValue = name === 'CLIENT_ID' ? token.clientId : name === 'REDIRECT_URI' ? PROGRAM_REDIRECT_URI : undefined;
    out.push({
      name,
      description: DESCRIPTIONS[name] ?? `the value the console sent as ${name.toLowerCase()} (redacted in the record)`,
      fromEnvironment: true,
      required: defaultValue === undefined,
      ...(defaultValue === undefined ? {} : { defaultValue }),
    });
  }
  return out;
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

