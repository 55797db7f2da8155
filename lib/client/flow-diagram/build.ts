import { diagnoseExchange } from '@/lib/client/diagnostics/catalogue';
import { epochToMs } from '@/lib/client/relative-time';
import { getHeader } from '@/lib/contract/headers';
import { isNonceChallenge } from '@/lib/contract/dpop';
import { worstOutcome, type CheckOutcome } from '@/lib/contract/conformance';
import { createExchangeClassifier } from '@/lib/contract/exchange-steps';
import type { ExchangeDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import type { DiagramItem, DiagramLane, DiagramStep, DiagramTone, FlowDiagram, LaneId, StepCategory } from './model';
import { describeStep } from './steps';

export interface FlowDiagramInput {
  provider: Pick<ProviderDto, 'id' | 'name' | 'environments'> & Partial<Pick<ProviderDto, 'knownDeviations' | 'diagnosticNotes' | 'custom'>>;
  /** The session's exchanges (any provider's: only this provider's are drawn), in the order they were recorded. */
  exchanges: readonly ExchangeDto[];
  /** The session's tokens: reuses become notes, refusals mark their exchange, rotations strike the old refresh token. */
  tokens: readonly TokenDto[];
}

/** The provider's exchanges as a sequence diagram with numbered, explained steps. */
export function buildFlowDiagram({ provider, exchanges, tokens }: FlowDiagramInput): FlowDiagram {
  const own = exchanges.filter((e) => belongsTo(e, provider));
  const providerTokens = tokens.filter((t) => t.providerId === provider.id);
  const events = [
    ...own.map((exchange, order) => ({ at: epochToMs(exchange.startedAt), order, exchange })),
    ...providerTokens.flatMap((token) =>
      token.reuses.map((at, i) => ({ at: epochToMs(at), order: own.length + i, reuse: token })),
    ),
  ].sort((a, b) => a.at - b.at || a.order - b.order);

  const classify = createExchangeClassifier();
  const items: DiagramItem[] = [];
  const steps: DiagramStep[] = [];
  for (const event of events) {
    const number = steps.length + 1;
    const stepId = `step-${number}`;
    if ('reuse' in event && event.reuse) {
      const token = event.reuse;
      steps.push({
        ...describeStep('reuse', { providerName: provider.name, reason: token.reuseReason }),
        id: stepId,
        number,
        tone: 'info',
        at: event.at,
        quirks: [],
        problems: [],
        keyLines: [`Token hmac:${token.fingerprint.hmacPrefix}, live until ${new Date(epochToMs(token.expiresAt)).toISOString()}`],
      });
      items.push({ kind: 'note', id: `${stepId}-note`, over: ['console'], text: 'Live token reused: no request', tone: 'info', stepId });
      continue;
    }
    const exchange = (event as { exchange: ExchangeDto }).exchange;
    const category = classify(exchange);
    const token = providerTokens.find((t) => t.exchangeId === exchange.id);
    const refused = providerTokens.find((t) => t.refusal?.exchangeId === exchange.id)?.refusal;
    const problems = problemsOf(exchange, provider, providerTokens);
    if (refused && !problems.includes(refused.reason)) problems.push(`The provider refused the token: ${refused.reason}`);
    const tone: DiagramTone = problems.length > 0 || isFailure(exchange) ? 'failed' : 'ok';
    const rotation = category === 'refresh' ? rotationOf(exchange, providerTokens) : undefined;
    const described = describeStep(category, {
      providerName: provider.name,
      clientAuth: clientAuthOf(exchange),
      retryAfter: exchange.response ? getHeader(exchange.response.headers, 'retry-after') : undefined,
      progress: exchange.response ? getHeader(exchange.response.headers, 'x-progress') : undefined,
      rotated: rotation ? rotation.newFingerprint !== null : undefined,
      iss: category === 'callback' ? new URLSafe(exchange.url).param('iss') !== null : undefined,
      dpop: exchange.dpop ? (exchange.dpop.answersNonceChallenge ? 'nonce' : 'proof') : undefined,
      pushed: category === 'authorize' ? new URLSafe(exchange.url).param('request_uri') !== null : undefined,
    });
    steps.push({
      ...described,
      id: stepId,
      number,
      tone,
      at: event.at,
      exchangeId: exchange.id,
      quirks: token ? token.deviations.filter((d) => d.known).map((d) => d.message) : [],
      problems,
      keyLines: keyLinesOf(exchange, token),
    });
    items.push(...arrowsOf(exchange, category, stepId, tone, rotation));
  }

  return { providerId: provider.id, providerName: provider.name, lanes: lanesOf(provider, own), items, steps };
}

/** A custom provider's discovery and registration run before it has an id: they are drawn with it. */
function belongsTo(exchange: ExchangeDto, provider: FlowDiagramInput['provider']): boolean {
  if (exchange.providerId === provider.id) return true;
  if (!provider.custom || exchange.providerId !== 'custom') return false;
  const discovery = new URLSafe(provider.custom.discoveryUrl);
  return new URLSafe(exchange.url).origin === discovery.origin;
}

function lanesOf(provider: FlowDiagramInput['provider'], exchanges: readonly ExchangeDto[]): DiagramLane[] {
  const hostOf = (kind: 'auth' | 'api') => {
    const exchange = [...exchanges].reverse().find((e) => laneOf(e) === kind);
    const environment = exchange && provider.environments.find((env) => env.id === exchange.environmentId);
    const url = exchange?.url ?? (kind === 'auth' ? provider.environments[0]?.tokenUrl : provider.environments[0]?.fhirBaseUrl);
    return { host: url ? new URLSafe(url).host : '', environment: environment?.label };
  };
  const auth = hostOf('auth');
  const api = hostOf('api');
  return [
    { id: 'browser', title: 'Browser', subtitle: 'you, at the login page' },
    { id: 'console', title: 'Console server', subtitle: 'holds secrets and tokens' },
    { id: 'auth', title: 'Authorization server', subtitle: auth.host },
    { id: 'api', title: 'FHIR / API server', subtitle: api.host },
  ];
}

function laneOf(exchange: ExchangeDto): 'auth' | 'api' {
  if (exchange.kind === 'fhir') return 'api';
  // A FHIR server's CapabilityStatement, read during discovery, is the API server's.
  if (exchange.kind === 'other' && /\/metadata(?:$|\?)/.test(exchange.url)) return 'api';
  return 'auth';
}

/** How the client proved who it is (RFC 6749 §2.3.1, RFC 7523 §2.2), from what was sent (already redacted). */
function clientAuthOf(exchange: ExchangeDto): string | undefined {
  if (exchange.kind !== 'token' && exchange.kind !== 'par' && !(exchange.kind === 'other' && /introspect/i.test(exchange.url))) return undefined;
  const authorization = getHeader(exchange.request.headers, 'authorization');
  const body = exchange.request.body ?? '';
  if (body.includes('client_assertion')) return 'private_key_jwt assertion';
  if (authorization?.toLowerCase().startsWith('basic')) return 'HTTP Basic';
  if (body.includes('client_secret')) return body.trimStart().startsWith('{') ? 'secret in a JSON body' : 'secret in the form body';
  if (authorization) return `${authorization.split(' ')[0]} header`;
  return 'public client (no secret)';
}

function rotationOf(exchange: ExchangeDto, tokens: readonly TokenDto[]) {
  const at = epochToMs(exchange.startedAt);
  const history = tokens.flatMap((t) => t.refresh?.history ?? []);
  // The refresh history is written when the answer arrives: the first entry at or after the request.
  return history
    .filter((h) => epochToMs(h.at) >= at - 1000)
    .sort((a, b) => epochToMs(a.at) - epochToMs(b.at))[0];
}

function isFailure(exchange: ExchangeDto): boolean {
  if (exchange.kind === 'authorize') return false;
  // A DPoP nonce challenge (RFC 9449 §8, §9) is a step the console answers, not a failure.
  if (exchange.response && isNonceChallenge({ status: exchange.status, headers: exchange.response.headers, body: exchange.response.body })) return false;
  return exchange.error !== undefined || exchange.status === null || exchange.status >= 400;
}

function problemsOf(exchange: ExchangeDto, provider: FlowDiagramInput['provider'], tokens: readonly TokenDto[]): string[] {
  const problems: string[] = [];
  if (exchange.error) problems.push(exchange.error);
  // Issue #18: what a conformance check found wrong with this exchange, in its words.
  for (const check of exchange.checks ?? []) if (check.outcome === 'fail' || check.outcome === 'warn') problems.push(`Conformance: ${check.message}`);
  if (exchange.kind === 'authorize' || exchange.kind === 'callback') return problems;
  try {
    const diagnoses = diagnoseExchange(exchange, {
      provider: provider as ProviderDto,
      token: tokens.find((t) => t.environmentId === exchange.environmentId),
    });
    for (const d of diagnoses) if (d.severity === 'error') problems.push(d.title);
  } catch {
    // A diagnosis that cannot read a partial provider adds nothing; the status still says failed.
  }
  return problems;
}

function arrowsOf(
  exchange: ExchangeDto,
  category: StepCategory,
  stepId: string,
  tone: DiagramTone,
  rotation: { usedFingerprint: string; newFingerprint: string | null } | undefined,
): DiagramItem[] {
  const path = pathLabel(exchange.url);
  const id = exchange.id;
  if (category === 'authorize') {
    return [
      { kind: 'message', id: `${id}-go`, from: 'browser', to: 'auth', label: `GET ${path}`, detail: 'sent by the console', reply: false, tone: 'ok', exchangeId: id, stepId },
      { kind: 'note', id: `${id}-login`, over: ['browser', 'auth'], text: 'Log in and consent', tone: 'waiting', stepId },
    ];
  }
  if (category === 'callback') {
    const outcome = new URLSafe(exchange.url).param('error') ?? (tone === 'failed' ? 'refused' : 'code');
    return [
      { kind: 'message', id: `${id}-back`, from: 'auth', to: 'browser', label: `302 to the callback (${outcome})`, reply: true, tone, exchangeId: id, stepId },
      { kind: 'message', id: `${id}-in`, from: 'browser', to: 'console', label: `GET ${path}`, detail: `${exchange.status ?? ''} back to the console`.trim(), reply: false, tone, exchangeId: id, stepId, ...conformanceOf(exchange) },
      ...(exchange.error ? [{ kind: 'note' as const, id: `${id}-error`, over: ['console'] as [LaneId], text: exchange.error, tone: 'failed' as const, stepId }] : []),
    ];
  }
  const server = laneOf(exchange);
  const auth = clientAuthOf(exchange);
  const request = {
    kind: 'message' as const,
    id: `${id}-req`,
    from: 'console' as const,
    to: server,
    label: `${exchange.method} ${path}`,
    detail: exchange.dpop ? [auth, exchange.dpop.answersNonceChallenge ? 'DPoP proof with nonce' : 'DPoP proof'].filter(Boolean).join(' + ') : auth,
    reply: false,
    tone: 'ok' as const,
    exchangeId: id,
    stepId,
  };
  const answer = exchange.status === null ? 'no answer' : `${exchange.status}${statusWord(exchange.status)}`;
  const reply = {
    kind: 'message' as const,
    id: `${id}-res`,
    from: server,
    to: 'console' as const,
    label: answer,
    detail: exchange.status === null ? exchange.error : `${Math.round(exchange.durationMs)} ms${retryDetail(exchange)}`,
    reply: true,
    tone,
    exchangeId: id,
    stepId,
    ...(rotation && rotation.newFingerprint !== null ? { retired: `refresh token hmac:${rotation.usedFingerprint}` } : {}),
    ...conformanceOf(exchange),
  };
  return [request, reply];
}

function conformanceOf(exchange: ExchangeDto): { conformance?: CheckOutcome } {
  const worst = worstOutcome(exchange.checks ?? []);
  return worst ? { conformance: worst } : {};
}

function retryDetail(exchange: ExchangeDto): string {
  const retryAfter = exchange.response && getHeader(exchange.response.headers, 'retry-after');
  return retryAfter ? ` · Retry-After ${retryAfter}` : '';
}

const STATUS_WORDS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 302: 'Found', 303: 'See Other', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function statusWord(status: number): string {
  const word = STATUS_WORDS[status];
  return word ? ` ${word}` : '';
}

/** The path, and a short query for FHIR searches; origins are the lanes' subtitles. The drawing clips, not the model. */
export function pathLabel(url: string): string {
  const parsed = new URLSafe(url);
  const query = parsed.search.length > 1 && parsed.search.length <= 48 && !parsed.search.includes('redacted') ? parsed.search : parsed.search ? '?…' : '';
  return `${parsed.pathname}${query}`;
}

function keyLinesOf(exchange: ExchangeDto, token: TokenDto | undefined): string[] {
  const lines = [`${exchange.method} ${exchange.url}`];
  const authorization = getHeader(exchange.request.headers, 'authorization');
  if (authorization) lines.push(`Authorization: ${authorization}`);
  const contentType = getHeader(exchange.request.headers, 'content-type');
  if (contentType) lines.push(`Content-Type: ${contentType}`);
  if (exchange.request.body) lines.push(exchange.request.body.length > 240 ? `${exchange.request.body.slice(0, 240)}…` : exchange.request.body);
  const location = exchange.response && getHeader(exchange.response.headers, 'location');
  if (location) lines.push(`→ Location: ${location}`);
  if (exchange.status !== null && exchange.kind !== 'callback') lines.push(`← ${exchange.status}${statusWord(exchange.status)}`);
  if (token?.clientAssertion) {
    // RFC 7523 §3: what the signed assertion said, decoded on the server; the JWT itself never leaves it.
    const { header, claims } = token.clientAssertion;
    const said = ['iss', 'sub', 'aud', 'exp', 'jti'].filter((k) => k in claims).map((k) => `${k}=${JSON.stringify(claims[k])}`);
    lines.push(`Client assertion: alg=${String(header.alg)}${header.kid ? `, kid=${String(header.kid)}` : ''}; ${said.join(', ')}`);
  }
  if (token?.jwt) {
    const claims = token.jwt.claims;
    const shown = ['iss', 'sub', 'aud', 'scope', 'exp'].filter((k) => k in claims).map((k) => `${k}=${JSON.stringify(claims[k])}`);
    if (shown.length > 0) lines.push(`Claims: ${shown.join(', ')}`);
  } else if (token) {
    lines.push(`Token: ${token.format}, ${token.tokenType}, hmac:${token.fingerprint.hmacPrefix}`);
  }
  return lines;
}

/** `new URL` that never throws: a recorded URL is text from the server, not trusted to parse. */
class URLSafe {
  private readonly url: URL | null;
  constructor(text: string) {
    try {
      this.url = new URL(text);
    } catch {
      this.url = null;
    }
  }
  get origin() {
    return this.url?.origin ?? '';
  }
  get host() {
    return this.url?.host ?? '';
  }
  get pathname() {
    return this.url?.pathname ?? '';
  }
  get search() {
    return this.url?.search ?? '';
  }
  param(name: string): string | null {
    return this.url?.searchParams.get(name) ?? null;
  }
}
