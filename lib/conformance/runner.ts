import 'server-only';
import { randomUUID } from 'node:crypto';
import { CHECK_GROUP_LABELS, OUTCOME_SEVERITY, type CheckGroup, type CheckOutcome, type CheckResult, type ConformanceEvent } from '@/lib/contract/conformance';
import { createExchangeClassifier, manifestFileUrls, safeUrl } from '@/lib/contract/exchange-steps';
import { getHeader } from '@/lib/contract/headers';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { sendOutbound, type ExchangeKind } from '@/lib/http/outbound';
import { redactText } from '@/lib/http/redact';
import { log } from '@/lib/log';
import { buildFhirCall } from '@/lib/fhir/proxy';
import { sendWithDpop, withDpopProof } from '@/lib/oauth/dpop';
import { mintFlowAssertion, prepareTokenRequest } from '@/lib/oauth/client-authentication';
import type { ResolvedFlow } from '@/lib/oauth/flow';
import { introspectSessionToken } from '@/lib/oauth/introspection';
import { refreshSessionToken } from '@/lib/oauth/refresh';
import type { TokenEndpointContext } from '@/lib/oauth/token-endpoint';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { describeStoredToken } from '@/lib/oauth/session-tokens';
import type { StoredToken } from '@/lib/session/vault';
import { CHECKS, CHECKS_BY_ID } from './catalogue';
import type { ProviderFacts, Verdict } from './check';
import { r4SummaryOfBody } from './fhir-validation';
import { checkExchanges, providerFacts, toResult } from './passive';

/**
 * "Check this server" (issue #18 §3): runs every flow the credential allows against the server, the negative tests
 * included (a wrong grant type, a bad assertion, no token, an unknown token), then judges the exchanges it recorded
 * with the passive checks and adds the active checks' verdicts. Every request goes through the one outbound client
 * and lands in the session's timeline, redacted: the evidence the page links to.
 */

export interface RunContext extends TokenEndpointContext {
  flow: ResolvedFlow;
  groups?: readonly CheckGroup[];
}

const POLL_LIMIT_MS = 20_000;
const POLL_MAX_WAIT_MS = 2_000;

/** Runs the checks and yields the run's events: start, progress, one result per check, done. */
export async function* runConformance(ctx: RunContext): AsyncGenerator<ConformanceEvent> {
  const { flow } = ctx;
  const run = new Run(ctx);
  const checks = CHECKS.filter((c) => !ctx.groups || ctx.groups.includes(c.group));
  const startedAt = Date.now();
  yield { type: 'start', runId: randomUUID(), providerId: flow.provider.id, environmentId: flow.env.environment.id, checkIds: checks.map((c) => c.id), startedAt };

  for (const phase of run.phases()) {
    if (ctx.groups && !phase.groups.some((g) => ctx.groups!.includes(g))) continue;
    yield { type: 'progress', step: phase.label };
    try {
      await phase.run();
    } catch (error) {
      // A phase that cannot go on (the server is down, the token was refused) skips what depends on it, with why.
      if (!(error instanceof HttpError)) log.warn({ err: error instanceof Error ? error.name : 'unknown', phase: phase.label }, 'conformance phase failed');
      const why = error instanceof HttpError ? error.message : 'an unexpected error (see the console’s log)';
      for (const group of phase.groups) run.skipGroup(group, `${phase.label} stopped: ${why}`);
    }
  }

  yield { type: 'progress', step: 'Judging the exchanges' };
  const results = await run.results(checks.map((c) => c.id), startedAt);
  for (const result of results) yield { type: 'result', result };
  const summary = { pass: 0, warn: 0, fail: 0, known: 0, skip: 0 } satisfies Record<CheckOutcome, number>;
  for (const r of results) summary[r.outcome] += 1;
  yield { type: 'done', finishedAt: Date.now(), summary };
}

interface Phase {
  label: string;
  groups: CheckGroup[];
  run: () => Promise<void>;
}

interface Probe {
  status: number | null;
  exchange: ExchangeDto;
  json?: Record<string, unknown>;
}

class Run {
  private readonly facts: ProviderFacts;
  private readonly active = new Map<string, Verdict & { exchangeIds: string[] }>();
  private readonly skipped = new Map<CheckGroup, string>();
  private token: StoredToken | null = null;
  /** The signed-in token as it came from the code exchange, before this run refreshed it: its ID token is judged. */
  private signedIn: StoredToken | null = null;
  private readonly flowIsCode: boolean;

  constructor(private readonly ctx: RunContext) {
    this.facts = providerFacts(ctx.flow.provider);
    this.flowIsCode = ctx.flow.grant.grantType === 'authorization_code';
  }

  skipGroup(group: CheckGroup, why: string): void {
    if (!this.skipped.has(group)) this.skipped.set(group, why);
  }

  private verdict(checkId: string, verdict: Verdict, exchanges: (ExchangeDto | undefined)[] = []): void {
    this.active.set(checkId, { ...verdict, exchangeIds: exchanges.flatMap((e) => (e ? [e.id] : [])) });
  }

  phases(): Phase[] {
    const { env, provider } = this.ctx.flow;
    return [
      { label: 'Reading the discovery documents', groups: ['discovery', 'openid', 'bulk'], run: () => this.discovery() },
      { label: this.flowIsCode ? 'Using the session’s signed-in token' : 'Getting a token', groups: ['backend', 'standalone', 'openid', 'refresh', 'introspection', 'bulk', 'fhir'], run: () => this.getToken() },
      { label: 'Sending token requests that must be refused', groups: ['backend'], run: () => this.backendNegatives() },
      { label: 'Calling the API with no token and with an unknown one', groups: ['fhir', 'sender'], run: () => this.fhirProbes() },
      { label: 'Reading the signed-in user (fhirUser)', groups: ['openid'], run: () => this.fhirUser() },
      ...(env.introspectionUrl ? [{ label: 'Introspecting a live and an unknown token', groups: ['introspection'] as CheckGroup[], run: () => this.introspection() }] : []),
      { label: 'Refreshing the token', groups: ['refresh', 'openid'], run: () => this.refresh() },
      ...(provider.bulkExport ? [{ label: 'Running a Bulk Data export', groups: ['bulk'] as CheckGroup[], run: () => this.bulk() }] : []),
    ];
  }

  /** One request under the outbound policy, recorded; a token a server wrongly issues is kept out of the timeline. */
  private async probe(
    request: { method: 'GET' | 'POST' | 'DELETE'; url: URL; headers: [string, string][]; body?: string },
    kind: ExchangeKind,
    secrets: string[] = [],
    /** A request wrong on purpose: what it tests. Its active check judges it; the passive checks leave it alone. */
    probe?: string,
  ): Promise<Probe> {
    const { env, provider } = this.ctx.flow;
    const allowedOrigin = request.url.origin === env.apiOrigin ? env.apiOrigin : env.origin;
    // The session's DPoP token goes with a fresh proof (RFC 9449 §7), as the FHIR proxy sends it.
    const dpopToken = this.token?.dpop && request.headers.some(([name, value]) => name.toLowerCase() === 'authorization' && value.startsWith('DPoP ')) ? this.token : null;
    const { result, attempt } = await sendWithDpop(
      dpopToken ? { vault: this.ctx.vault, sid: this.ctx.sid, providerId: provider.id } : undefined,
      dpopToken,
      request.method,
      request.url,
      (sending) =>
        sendOutbound(
          { ...request, headers: [...request.headers, ...sending.headers], allowedOrigin, timeoutMs: 15_000, publicAddressesOnly: env.environment.userSupplied },
          { kind: 'text', maxBytes: 1024 * 1024 },
          { kind, providerId: provider.id, environmentId: env.environment.id, secrets: [...secrets, ...(sending.proofJwt ? [sending.proofJwt] : [])] },
        ),
      (sent) => (sent.ok ? sent.response : null),
      (sent, first) => this.ctx.vault.recordExchange(this.ctx.sid, withDpopProof(sent.exchange, first.proof)),
    );
    let json: Record<string, unknown> | undefined;
    let exchange = withDpopProof(result.exchange, attempt.proof);
    if (result.ok) {
      try {
        const parsed: unknown = JSON.parse(result.response.text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      const issued = ['access_token', 'refresh_token', 'id_token'].map((f) => json?.[f]).filter((v): v is string => typeof v === 'string' && v.length > 0);
      if (issued.length > 0 && exchange.response?.body) exchange = { ...exchange, response: { ...exchange.response, body: redactText(exchange.response.body, issued) } };
    }
    if (probe) exchange = { ...exchange, probe };
    if (result.ok && kind === 'fhir' && this.facts.apiKind === 'fhir' && !result.response.truncated) {
      const r4 = r4SummaryOfBody(result.response.text, result.response.contentType);
      if (r4) exchange = { ...exchange, r4 };
    }
    await this.ctx.vault.recordExchange(this.ctx.sid, exchange);
    return { status: result.ok ? result.response.status : null, exchange, json };
  }

  private async discovery(): Promise<void> {
    const { env, provider, grant } = this.ctx.flow;
    const base = env.fhirBaseUrl.toString().replace(/\/$/, '');
    const onServer = (url: URL | null): url is URL => url !== null && (url.origin === env.origin || url.origin === env.apiOrigin);
    let config: Probe | undefined;
    if (this.facts.smartAppLaunch) {
      config = await this.probe({ method: 'GET', url: new URL(`${base}/.well-known/smart-configuration`), headers: [['Accept', 'application/json']] }, 'other');
      // OpenID Connect: the keys are read here, whatever the console's key cache holds (Inferno: "JWKS can be retrieved").
      const jwksUrl = typeof config.json?.jwks_uri === 'string' ? safeUrl(config.json.jwks_uri) : null;
      if (onServer(jwksUrl)) await this.probe({ method: 'GET', url: jwksUrl, headers: [['Accept', 'application/json']] }, 'jwks');
    } else {
      this.skipGroup('discovery', `${provider.name} does not follow SMART App Launch: it publishes no .well-known/smart-configuration.`);
    }
    const capabilities = Array.isArray(config?.json?.capabilities) ? config.json.capabilities : [];
    const wantsOpenid = capabilities.includes('sso-openid-connect') || grant.scopes.includes('openid');
    const issuer = typeof config?.json?.issuer === 'string' ? config.json.issuer : env.environment.issuer;
    if (wantsOpenid && issuer) {
      const url = safeUrl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      if (onServer(url)) await this.probe({ method: 'GET', url, headers: [['Accept', 'application/json']] }, 'other');
      else this.skipGroup('openid', `The issuer ${issuer} is on another host than the server's; its openid-configuration is not fetched from here.`);
    } else if (!wantsOpenid) {
      this.skipGroup('openid', `${provider.name} does not offer OpenID Connect sign-in to this client (no sso-openid-connect, no openid scope).`);
      // DPoP and PAR are advertised in the server's metadata (RFC 9449 §5.1, RFC 9126 §5): read it for those checks.
      const metadata = issuer && !config && (env.environment.dpopSigningAlgs || env.pushedAuthorizationUrl) ? safeUrl(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`) : null;
      if (onServer(metadata)) await this.probe({ method: 'GET', url: metadata, headers: [['Accept', 'application/json']] }, 'other');
    }
    if (!provider.bulkExport) this.skipGroup('bulk', `${provider.name} offers no Bulk Data export.`);
    if (!env.introspectionUrl) this.skipGroup('introspection', `${provider.name} offers no token introspection in ${env.environment.label}.`);
    if (this.facts.apiKind !== 'fhir') this.skipGroup('fhir', `${provider.name}'s API answers its own JSON, not FHIR resources.`);
    if (this.facts.apiKind === 'fhir') {
      const metadataPath = this.ctx.flow.provider.defaultRequests.find((r) => r.group === 'discovery' && r.path.endsWith('/metadata'))?.path;
      const url = metadataPath ? safeUrl(`${env.apiBaseUrl.replace(/\/$/, '')}${metadataPath}`) : safeUrl(`${base}/metadata`);
      if (url) await this.probe({ method: 'GET', url, headers: [['Accept', 'application/fhir+json']] }, 'fhir');
    }
  }

  private async getToken(): Promise<void> {
    const { flow } = this.ctx;
    if (this.flowIsCode) {
      const stored = await this.ctx.vault.getToken(this.ctx.sid, flow.provider.id);
      const usable = stored && stored.environmentId === flow.env.environment.id && !stored.refusal && stored.expiresAt > Date.now() ? stored : null;
      this.token = usable;
      this.signedIn = usable;
      this.skipGroup('backend', `${flow.credential.label} uses the authorization code grant, not Backend Services.`);
      if (!usable) {
        const why = `No live token from a sign-in in this session: press Authorize, sign in, then check again (the checks read that run's exchanges).`;
        for (const group of ['standalone', 'openid', 'refresh', 'introspection', 'bulk', 'fhir'] as const) this.skipGroup(group, why);
      }
      return;
    }
    this.skipGroup('standalone', `${flow.credential.label} uses client credentials: there is no user launch to check.`);
    this.skipGroup('openid', `${flow.credential.label} uses client credentials: no user signs in.`);
    const { token } = await getClientCredentialsToken(this.ctx, flow, { forceNew: true });
    this.token = token;
  }

  private async backendNegatives(): Promise<void> {
    const { flow } = this.ctx;
    if (this.flowIsCode) return;
    const clientAuth = flow.grant.clientAuth;
    const prepared = await prepareTokenRequest(flow, {});
    const original = prepared.request.body ?? '';
    const isJson = original.trimStart().startsWith('{');
    const sendVariant = async (probe: string, edit: (params: URLSearchParams) => void, headers = prepared.request.headers, secrets = prepared.secrets) => {
      const params = new URLSearchParams(isJson ? (JSON.parse(original) as Record<string, string>) : original);
      edit(params);
      const body = isJson ? JSON.stringify(Object.fromEntries(params)) : params.toString();
      const typed: [string, string][] = headers.some(([n]) => n.toLowerCase() === 'content-type') ? headers : [...headers, ['Content-Type', isJson ? 'application/json' : 'application/x-www-form-urlencoded']];
      // The recipe's method and body format as they are (1upHealth sends a GET with a form body): never a secret in a URL.
      return this.probe({ method: prepared.request.method, url: prepared.request.url, headers: typed, body }, 'token', secrets, probe);
    };
    /** RFC 6749 §5.2: an unsupported grant is 400 (Inferno accepts nothing else); a client that fails to authenticate may get 401. */
    const explain = (p: Probe, what: string, accepted: readonly number[], deviation?: string): Verdict =>
      p.status !== null && accepted.includes(p.status)
        ? { outcome: 'pass', message: `Refused with ${p.status}${typeof p.json?.error === 'string' ? ` ${p.json.error}` : ''}.` }
        : {
            outcome: 'fail',
            message: `${what} answered ${p.status ?? p.exchange.error ?? 'nothing'}${p.status === 200 ? ' and issued a token' : ''}; it must be refused with ${accepted.join(' or ')}.`,
            deviations: [p.status === 403 ? 'unauthorized_403' : (deviation ?? null)],
          };

    const badGrant = await sendVariant('An unknown grant_type, which must be refused', (p) => p.set('grant_type', 'urn:example:not-a-grant'));
    this.verdict('backend.invalid-grant-type', explain(badGrant, 'A token request with grant_type=urn:example:not-a-grant', [400], 'no_grant_type'), [badGrant.exchange]);

    if (clientAuth === 'private_key_jwt') {
      const badType = await sendVariant('The wrong client_assertion_type, which must be refused', (p) => p.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer'));
      this.verdict('backend.invalid-assertion-type', explain(badType, 'A client_assertion_type of saml2-bearer', [400, 401]), [badType.exchange]);
      const minted = await mintFlowAssertion(flow, { assertionFault: 'unknown_kid' });
      const badJwt = await sendVariant('An assertion signed with an unknown key, which must be refused', (p) => p.set('client_assertion', minted.assertion), prepared.request.headers, [...prepared.secrets, minted.assertion]);
      this.verdict('backend.invalid-jwt', explain(badJwt, 'An assertion signed with a key not in the client’s JWKS', [400, 401]), [badJwt.exchange]);
    } else {
      const why = `${flow.credential.label} authenticates with a client secret (${clientAuth}), not a signed assertion.`;
      this.verdict('backend.invalid-assertion-type', { outcome: 'skip', message: why });
      this.verdict('backend.invalid-jwt', { outcome: 'skip', message: why });
    }
  }

  /** A protected request the provider's own examples make: its first data GET. */
  private probePath(): string | undefined {
    const requests = this.ctx.flow.provider.defaultRequests.filter((r) => r.method === 'GET' && !r.bulkExport && !r.path.endsWith('/metadata') && !r.path.includes('/.well-known/'));
    return (requests.find((r) => r.group === 'data') ?? requests[0])?.path;
  }

  private async fhirProbes(): Promise<void> {
    const { env } = this.ctx.flow;
    const path = this.probePath();
    if (!path) {
      this.skipGroup('fhir', 'The provider file names no data request to probe with.');
      this.verdict('sender.dpop-bound-as-bearer-refused', { outcome: 'skip', message: 'The provider file names no data request to probe with.' });
      return;
    }
    const { url, headers } = buildFhirCall(env, null, { path, headers: {} }, this.facts.apiKind === 'fhir' ? 'application/fhir+json' : 'application/json');
    const bare = await this.probe({ method: 'GET', url, headers }, 'fhir', [], 'No token, which must be refused with 401');
    this.verdict('fhir.no-token-refused', bare.status === 401 ? { outcome: 'pass', message: `GET ${path} without a token: 401${bare.exchange.response && getHeader(bare.exchange.response.headers, 'www-authenticate') ? ' with WWW-Authenticate' : ''}.` } : { outcome: 'fail', message: `GET ${path} without a token answered ${bare.status ?? bare.exchange.error ?? 'nothing'}, not 401 (RFC 6750 §3.1).`, deviations: [bare.status === 403 ? 'unauthorized_403' : null] }, [bare.exchange]);
    const unknown = `conformance-check-${randomUUID()}`;
    const forged = await this.probe({ method: 'GET', url, headers: [...headers, ['Authorization', `Bearer ${unknown}`]] }, 'fhir', [unknown], 'A token the server never issued, which must be refused with 401');
    this.verdict('fhir.invalid-token-refused', forged.status === 401 ? { outcome: 'pass', message: `An unknown bearer token: 401.` } : { outcome: 'fail', message: `An unknown bearer token answered ${forged.status ?? forged.exchange.error ?? 'nothing'}, not 401 (RFC 6750 §3.1: invalid_token).`, deviations: [forged.status === 403 ? 'unauthorized_403' : null] }, [forged.exchange]);
    if (this.token) {
      const call = buildFhirCall(env, this.token, { path, headers: {} }, this.facts.apiKind === 'fhir' ? 'application/fhir+json' : 'application/json');
      await this.probe({ method: 'GET', url: call.url, headers: call.headers }, 'fhir', [this.token.accessToken]);
      await this.dpopAsBearer(call.url, call.headers);
    } else {
      this.verdict('sender.dpop-bound-as-bearer-refused', { outcome: 'skip', message: 'No token to send.' });
    }
  }

  /** RFC 9449 §7.2: a DPoP-bound token presented as a bearer token must be refused, or a copy of it is as good as the key. */
  private async dpopAsBearer(url: URL, headers: [string, string][]): Promise<void> {
    const token = this.token!;
    if (!token.dpop) {
      this.verdict('sender.dpop-bound-as-bearer-refused', { outcome: 'skip', message: `${this.ctx.flow.credential.label} gets Bearer tokens: DPoP is off for it, or the server did not bind the token.` });
      return;
    }
    const asBearer = headers.map(([name, value]): [string, string] => (name.toLowerCase() === 'authorization' ? [name, `Bearer ${token.accessToken}`] : [name, value]));
    const sent = await this.probe({ method: 'GET', url, headers: asBearer }, 'fhir', [token.accessToken], 'The DPoP-bound token sent as a plain Bearer token, with no proof, which must be refused');
    this.verdict(
      'sender.dpop-bound-as-bearer-refused',
      sent.status === 401
        ? { outcome: 'pass', message: 'The DPoP-bound token sent as Bearer, without a proof: 401.' }
        : { outcome: 'fail', message: `The DPoP-bound token sent as Bearer, without a proof, answered ${sent.status ?? sent.exchange.error ?? 'nothing'}: a copy of the token works without the key (RFC 9449 §7.2).` },
      [sent.exchange],
    );
  }

  /** SMART 2.2: fhirUser is a resource the token may read (Inferno: "FHIR resource representing the current user can be retrieved"). */
  private async fhirUser(): Promise<void> {
    const fhirUser = this.token?.idToken?.claims.fhirUser;
    if (!this.token?.idToken) return;
    if (typeof fhirUser !== 'string') {
      this.verdict('openid.fhir-user-resolves', { outcome: 'skip', message: 'The ID token names no fhirUser: ask for the fhirUser scope to check it.' });
      return;
    }
    const absolute = /^https?:/.test(fhirUser) ? fhirUser : `${this.ctx.flow.env.fhirBaseUrl.toString().replace(/\/$/, '')}/${fhirUser}`;
    const path = this.relativePath(absolute);
    if (!path) {
      this.verdict('openid.fhir-user-resolves', { outcome: 'fail', message: `fhirUser ${fhirUser} is not on this server's API, so the token cannot read it.` });
      return;
    }
    const call = buildFhirCall(this.ctx.flow.env, this.token, { path, headers: {} });
    const read = await this.probe({ method: 'GET', url: call.url, headers: call.headers }, 'fhir', [this.token.accessToken]);
    const expectedType = /(Patient|Practitioner|RelatedPerson|Person)\/[^/]+$/.exec(fhirUser)?.[1];
    this.verdict(
      'openid.fhir-user-resolves',
      read.status === 200 && read.json?.resourceType === expectedType
        ? { outcome: 'pass', message: `GET ${fhirUser}: 200, a ${expectedType}.` }
        : { outcome: 'fail', message: `GET ${fhirUser} answered ${read.status ?? read.exchange.error ?? 'nothing'}${read.json?.resourceType ? ` with a ${String(read.json.resourceType)}` : ''}; SMART 2.2 expects the user's ${expectedType ?? 'resource'}.` },
      [read.exchange],
    );
  }

  private async introspection(): Promise<void> {
    const { flow } = this.ctx;
    if (!this.token) return;
    await introspectSessionToken(this.ctx, this.token, flow);
    const unknown = `conformance-check-${randomUUID()}`;
    const fake: StoredToken = { ...this.token, accessToken: unknown };
    const before = Date.now();
    try {
      const dto = await introspectSessionToken({ ...this.ctx, vault: this.ctx.vault }, fake, flow);
      const ids = await this.exchangeIdsSince(before, 'other');
      this.verdict('introspection.inactive', dto.active ? { outcome: 'fail', message: 'An unknown token introspected as active: true (RFC 7662 §2.2).' } : { outcome: 'pass', message: 'An unknown token: active: false.' }, ids);
    } catch (error) {
      this.verdict('introspection.inactive', { outcome: 'fail', message: `Introspecting an unknown token failed: ${error instanceof HttpError ? error.message : 'an unexpected error'} (RFC 7662 §2.2 answers 200 with active: false).` }, await this.exchangeIdsSince(before, 'other'));
    }
  }

  private async exchangeIdsSince(since: number, kind: ExchangeKind): Promise<ExchangeDto[]> {
    const all = await this.ctx.vault.listExchanges(this.ctx.sid);
    return all.filter((e) => e.kind === kind && e.providerId === this.ctx.flow.provider.id && e.startedAt >= since - 5);
  }

  private async refresh(): Promise<void> {
    const { flow } = this.ctx;
    if (!this.token?.refreshToken) {
      const why = flow.provider.grant.refresh?.supported === false || !this.flowIsCode ? `${flow.provider.name} issues no refresh token to this flow.` : 'The session’s token came without a refresh token (ask for offline_access).';
      this.verdict('refresh.without-scopes', { outcome: 'skip', message: why });
      this.verdict('refresh.with-scopes', { outcome: 'skip', message: why });
      this.skipGroup('refresh', why);
      return;
    }
    for (const [checkId, scope] of [['refresh.without-scopes', undefined], ['refresh.with-scopes', this.token.scope]] as const) {
      const before = Date.now();
      try {
        this.token = await refreshSessionToken(this.ctx, this.token!, flow, scope ? { scope } : {});
        this.verdict(checkId, { outcome: 'pass', message: `Refreshed${scope ? ` asking for "${scope}"` : ' without scope'}: a new access token${describeStoredToken(this.token).refresh?.rotates ? ', and a new refresh token' : ''}.` }, await this.exchangeIdsSince(before, 'token'));
      } catch (error) {
        this.verdict(checkId, { outcome: 'fail', message: `The refresh${scope ? ` with scope "${scope}"` : ''} failed: ${error instanceof HttpError ? error.message : 'an unexpected error'}` }, await this.exchangeIdsSince(before, 'token'));
        return;
      }
    }
  }

  private async bulk(): Promise<void> {
    const { flow } = this.ctx;
    const capability = flow.provider.bulkExport!;
    const base = capability.bases.find((b) => !b.environments || b.environments.includes(flow.env.environment.id));
    if (!base) return this.skipGroup('bulk', `${flow.env.environment.label} serves no $export.`);
    const kickoffHeaders = { Accept: 'application/fhir+json', Prefer: 'respond-async' };
    const levelPath = { patient: `${base.path}/Patient/$export`, group: base.groups[0] ? `${base.path}/Group/${base.groups[0].id}/$export` : undefined, system: `${base.path}/$export` };
    // The parameter and cancel tests use the first level the base offers.
    const firstLevel = (['patient', 'group', 'system'] as const).find((level) => base.levels.includes(level) && levelPath[level]);
    if (!firstLevel) return this.skipGroup('bulk', `${base.label} names no export level the console can start.`);
    const primary = levelPath[firstLevel]!;

    const unauth = buildFhirCall(flow.env, null, { path: primary, headers: kickoffHeaders });
    const bare = await this.probe({ method: 'GET', url: unauth.url, headers: unauth.headers }, 'fhir', [], 'A kick-off with no token, which must be refused with 401');
    this.verdict('bulk.kickoff-without-token', bare.status === 401 ? { outcome: 'pass', message: 'A kick-off without a token: 401.' } : { outcome: 'fail', message: `A kick-off without a token answered ${bare.status ?? bare.exchange.error ?? 'nothing'}, not 401.`, deviations: [bare.status === 403 ? 'unauthorized_403' : null] }, [bare.exchange]);
    if (!this.token) return;

    const kickoff = async (path: string) => {
      const call = buildFhirCall(flow.env, this.token, { path, headers: kickoffHeaders });
      return this.probe({ method: 'GET', url: call.url, headers: call.headers }, 'fhir', [this.token!.accessToken]);
    };
    const statusPath = (p: Probe) => {
      const location = p.exchange.response && getHeader(p.exchange.response.headers, 'content-location');
      return location ? this.relativePath(location) : undefined;
    };
    const accepted = (p: Probe, what: string): Verdict => (p.status === 202 ? { outcome: 'pass', message: `${what}: 202 Accepted.` } : { outcome: 'fail', message: `${what} answered ${p.status ?? p.exchange.error ?? 'nothing'}, not 202.` });

    let main: Probe | undefined;
    for (const level of ['patient', 'group', 'system'] as const) {
      const checkId = `bulk.kickoff-${level}`;
      const path = levelPath[level];
      if (!base.levels.includes(level) || !path) {
        this.verdict(checkId, { outcome: 'skip', message: `${base.label} offers no ${level}-level export.` });
        continue;
      }
      // The first level's job is followed to its files, asking for one type so the `_type` check has a manifest to read.
      const typed = level === firstLevel && base.resourceTypes[0] ? `${path}?_type=${encodeURIComponent(base.resourceTypes[0])}` : path;
      const p = await kickoff(typed);
      this.verdict(checkId, accepted(p, `GET ${typed}`), [p.exchange]);
      if (level === firstLevel && p.status === 202) main = p;
      else await this.cancel(p, statusPath(p));
    }
    const since = await kickoff(`${primary}?_since=${encodeURIComponent('2020-01-01T00:00:00Z')}`);
    const sinceVerdict = accepted(since, 'A kick-off with _since=2020-01-01T00:00:00Z');
    this.verdict('bulk.since', since.status === 400 ? { ...sinceVerdict, deviations: ['since_date_only'] } : sinceVerdict, [since.exchange]);
    await this.cancel(since, statusPath(since));
    const formats: Probe[] = [];
    for (const format of capability.outputFormats) {
      const p = await kickoff(`${primary}?_outputFormat=${encodeURIComponent(format)}`);
      formats.push(p);
      await this.cancel(p, statusPath(p));
    }
    const refusedFormat = formats.find((p) => p.status !== 202);
    this.verdict('bulk.output-format', refusedFormat ? accepted(refusedFormat, `_outputFormat ${new URL(refusedFormat.exchange.url).searchParams.get('_outputFormat')}`) : { outcome: 'pass', message: `Each of ${capability.outputFormats.join(', ')} accepted.` }, formats.map((p) => p.exchange));

    if (main) await this.followJob(main, statusPath(main));

    if (!capability.cancel.supported) {
      this.verdict('bulk.cancel-then-gone', { outcome: 'skip', message: `${flow.provider.name} offers no cancel${capability.cancel.note ? `: ${capability.cancel.note}` : '.'}` });
      return;
    }
    const doomed = await kickoff(primary);
    const path = statusPath(doomed);
    if (!path) return this.verdict('bulk.cancel-then-gone', { outcome: 'skip', message: 'The kick-off gave no status URL to cancel.' }, [doomed.exchange]);
    const deleted = await this.cancel(doomed, path);
    const after = await this.statusRequest(path);
    const gone = after.status === 404 || after.status === 410;
    this.verdict(
      'bulk.cancel-then-gone',
      deleted?.status === 202 && gone
        ? { outcome: 'pass', message: `DELETE answered 202, and the status URL then ${after.status}.` }
        : { outcome: 'fail', message: `DELETE answered ${deleted?.status ?? 'nothing'} and the status URL then ${after.status ?? 'nothing'}; Bulk Data 2.0 expects 202, then 404.`, deviations: [deleted?.status === 202 && after.status === 410 ? 'cancelled_job_410' : null] },
      [doomed.exchange, deleted?.exchange, after.exchange],
    );
  }

  private statusRequest(path: string, method: 'GET' | 'DELETE' = 'GET'): Promise<Probe> {
    const call = buildFhirCall(this.ctx.flow.env, this.token, { path, headers: { Accept: 'application/json' } });
    return this.probe({ method, url: call.url, headers: call.headers }, 'fhir', this.token ? [this.token.accessToken] : []);
  }

  private async cancel(kickoff: Probe, path: string | undefined): Promise<Probe | undefined> {
    if (kickoff.status !== 202 || !path || !this.ctx.flow.provider.bulkExport?.cancel.supported) return undefined;
    return this.statusRequest(path, 'DELETE');
  }

  /** Polls the job to its manifest (honouring Retry-After, capped) and downloads its first file. */
  private async followJob(kickoff: Probe, path: string | undefined): Promise<void> {
    if (!path) return;
    const deadline = Date.now() + POLL_LIMIT_MS;
    for (;;) {
      const status = await this.statusRequest(path);
      if (status.status !== 202) {
        if (status.status === 200) {
          const [file] = manifestFileUrls(status.exchange.response?.body ?? null);
          const filePath = file ? this.relativePath(file) : undefined;
          if (filePath) {
            const call = buildFhirCall(this.ctx.flow.env, this.token, { path: filePath, headers: { Accept: 'application/fhir+ndjson' } });
            await this.probe({ method: 'GET', url: call.url, headers: call.headers }, 'fhir', this.token ? [this.token.accessToken] : []);
          }
        }
        return;
      }
      if (Date.now() > deadline) return this.skipGroup('bulk', `The export was still running after ${POLL_LIMIT_MS / 1000} s; the manifest and file checks need it to finish.`);
      const retryAfter = Number(getHeader(status.exchange.response?.headers ?? [], 'retry-after'));
      await new Promise((resolve) => setTimeout(resolve, Math.min(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 500, POLL_MAX_WAIT_MS)));
    }
  }

  /** An absolute URL the server gave (Content-Location, a manifest's file) as a path under the API base; undefined off it. */
  private relativePath(absolute: string): string | undefined {
    const url = safeUrl(absolute);
    const base = safeUrl(this.ctx.flow.env.apiBaseUrl);
    if (!url || !base || url.origin !== base.origin) return undefined;
    const prefix = base.pathname.replace(/\/$/, '');
    return url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) + url.search : undefined;
  }

  /**
   * Every check's result: the active verdicts, then the passive checks over this run's exchanges and, for the steps
   * a run cannot take itself (the user's sign-in), the session's latest authorization-code run before it.
   */
  async results(checkIds: readonly string[], startedAt: number): Promise<CheckResult[]> {
    const providerId = this.ctx.flow.provider.id;
    const all = (await this.ctx.vault.listExchanges(this.ctx.sid)).filter((e) => e.providerId === providerId);
    const tokens = [this.signedIn, this.token].flatMap((t) => (t ? [describeStoredToken(t)] : []));
    const stored = await this.ctx.vault.getToken(this.ctx.sid, providerId);
    if (stored) tokens.push(describeStoredToken(stored));
    const perExchange = checkExchanges(all, new Map([[providerId, this.facts]]), tokens);
    const classify = createExchangeClassifier();
    const steps = all.map((e) => classify(e));
    // The sign-in starts at its authorization request, or at the pushed request(s) before it (RFC 9126; a DPoP nonce challenge too).
    let signInStart = steps.lastIndexOf('authorize');
    while (signInStart > 0 && steps[signInStart - 1] === 'par') signInStart -= 1;
    const counted = all.map((e, i) => e.startedAt >= startedAt - 5 || (this.flowIsCode && signInStart !== -1 && i >= signInStart));

    const passive = new Map<string, CheckResult[]>();
    perExchange.forEach((results, i) => {
      if (!counted[i]) return;
      for (const r of results) passive.set(r.checkId, [...(passive.get(r.checkId) ?? []), r]);
    });

    return checkIds.map((id) => {
      const check = CHECKS_BY_ID.get(id)!;
      const active = this.active.get(id);
      if (active) return toResult(check, active, this.facts, active.exchangeIds);
      const seen = passive.get(id);
      if (seen && seen.length > 0) return aggregate(id, seen);
      const why = this.skipped.get(check.group) ?? check.unseen ?? notSeen(check.group);
      return { checkId: id, outcome: 'skip', message: why, exchangeIds: [], deviations: [] };
    });
  }
}

function notSeen(group: CheckGroup): string {
  return `No exchange of this kind happened in the run (${CHECK_GROUP_LABELS[group]}).`;
}

/** One check over several exchanges: the worst outcome, its message, and the exchanges that showed it. */
function aggregate(checkId: string, results: readonly CheckResult[]): CheckResult {
  const worst = results.reduce((a, b) => (OUTCOME_SEVERITY[b.outcome] > OUTCOME_SEVERITY[a.outcome] ? b : a));
  const same = results.filter((r) => r.outcome === worst.outcome);
  const deviations = [...new Map(same.flatMap((r) => r.deviations).map((d) => [d.code, d])).values()];
  const message = same.length > 1 && worst.outcome === 'pass' ? `${same.length} exchanges: ${worst.message}` : worst.message;
  return { checkId, outcome: worst.outcome, message, exchangeIds: [...new Set(same.flatMap((r) => r.exchangeIds))], deviations };
}
