import { epochToMs } from '@/lib/client/relative-time';
import { isBrowserLeg, type ExchangeDto, type GrantDto, type ProviderDto, type SessionDto, type TokenDto } from '@/lib/contract/schemas';

/** Bodies in the failed-exchange sections are cut here: a ticket needs the error, not the whole bundle. */
export const REPORT_BODY_LIMIT = 2048;

export const REPORT_FOOTER = 'Secrets are redacted by the console; placeholders look like [redacted hmac:… N chars].';

export interface SupportReportInput {
  session: SessionDto;
  providers: ProviderDto[];
  /** Epoch milliseconds. */
  generatedAt: number;
  /** The flow per provider as Mermaid text (lib/client/flow-diagram). */
  sequenceDiagrams?: { providerName: string; mermaid: string }[];
}

/**
 * A Markdown report to paste into a provider's support ticket: each token the session holds (what was asked for, what
 * came back, how it deviates from RFC 6749 §5.1), every exchange as a table, and the headers and bodies of the failed
 * ones. Built only from the session DTO, which the server has already redacted.
 */
export function toSupportReport({ session, providers, generatedAt, sequenceDiagrams = [] }: SupportReportInput): string {
  const out: string[] = [];
  out.push('# Health OAuth console: support report', '');
  out.push(`Generated ${iso(generatedAt)} (server clock ${iso(session.serverNow)}).`, '');

  if (session.tokens.length === 0) out.push('No token in this session.', '');
  for (const token of session.tokens) out.push(...tokenSection(token, providers.find((p) => p.id === token.providerId)));

  out.push(...exchangesSection(session.exchanges));
  if (sequenceDiagrams.length > 0) {
    out.push('## Sequence diagrams', '', 'Each provider’s flow in Mermaid (renders on GitHub, GitLab and mermaid.live).', '');
    for (const diagram of sequenceDiagrams) out.push(`### ${diagram.providerName}`, '', fence(diagram.mermaid.trimEnd(), 'mermaid'), '');
  }
  out.push('---', '', REPORT_FOOTER, '');
  return out.join('\n');
}

function tokenSection(token: TokenDto, provider: ProviderDto | undefined): string[] {
  const environment = provider?.environments.find((e) => e.id === token.environmentId);
  const preset = provider?.presets.find((p) => p.id === token.presetId);
  const grant: GrantDto | undefined = preset?.grant ?? provider?.grant;
  const rows: [string, string][] = [
    ['Provider', `${provider?.name ?? token.providerId} (\`${token.providerId}\`)`],
    ['Environment', `${environment?.label ?? token.environmentId} (\`${token.environmentId}\`)`],
    ['Credentials', `${token.credentialLabel}, client id \`${token.clientId}\``],
    ['Grant', grant ? `${token.grantType} (client auth ${grant.clientAuth}, ${grant.httpMethod} ${grant.body} body)` : token.grantType],
    ['Token', `${token.format}, type \`${token.tokenType}\`, hmac:${token.fingerprint.hmacPrefix} ${token.fingerprint.length} chars`],
    ['Issued', iso(token.issuedAt)],
    ['Expires', iso(token.expiresAt)],
    ['expires_in as sent', asSent(token.expiresInRaw)],
    ['Scopes', token.scope === undefined || token.scope === '' ? 'none granted' : token.scope.split(/\s+/).map((s) => `\`${s}\``).join(' ')],
    ['Verification', `${token.verification.status}: ${token.verification.reason}${token.verification.alg ? ` (alg ${token.verification.alg})` : ''}`],
  ];
  if (token.reused) rows.push(['Reused', `yes${token.reuseReason ? `: ${token.reuseReason}` : ''}`]);
  for (const [key, value] of Object.entries(token.responseFacts)) rows.push([`Response field \`${key}\``, asSent(value)]);

  const out = [`## ${provider?.name ?? token.providerId}`, '', '| | |', '|---|---|'];
  for (const [key, value] of rows) out.push(`| ${cell(key)} | ${cell(value)} |`);
  out.push('', '### Deviations', '');
  if (token.deviations.length === 0) out.push('None.');
  for (const d of token.deviations) {
    out.push(`- \`${d.code}\` (${d.field}, ${d.severity}): ${d.message} ${d.known ? '(known quirk of this provider)' : '(not documented for this provider)'}`);
  }
  out.push('', '### Refresh history', '');
  if (!token.refresh) out.push('No refresh token issued.');
  else if (token.refresh.history.length === 0) out.push(`Refresh token hmac:${token.refresh.fingerprint.hmacPrefix}; not refreshed yet.`);
  else {
    for (const h of token.refresh.history) {
      const rotated = h.newFingerprint === null ? 'kept the same refresh token' : `new refresh token hmac:${h.newFingerprint}`;
      out.push(`- ${iso(h.at)}: used hmac:${h.usedFingerprint}, ${rotated}`);
    }
  }
  out.push('');
  return out;
}

function exchangesSection(exchanges: readonly ExchangeDto[]): string[] {
  const out = ['## Exchanges', ''];
  if (exchanges.length === 0) return [...out, 'None recorded.', ''];
  out.push('| # | Time | Kind | Method | URL | Status | ms |', '|---|---|---|---|---|---|---|');
  exchanges.forEach((e, i) => {
    const status = e.status === null ? (isBrowserLeg(e) ? 'browser' : 'network error') : String(e.status);
    out.push(`| ${i + 1} | ${iso(e.startedAt)} | ${e.kind} | ${e.method} | ${cell(e.url)} | ${status} | ${Math.round(e.durationMs)} |`);
  });
  out.push('');

  const failed = exchanges.map((e, i) => [e, i + 1] as const).filter(([e]) => isFailed(e));
  if (failed.length === 0) return out;
  out.push('## Failed exchanges', '');
  for (const [e, n] of failed) {
    out.push(`### ${n}. ${e.method} ${e.url}: ${e.status === null ? 'network error' : e.status}`, '');
    if (e.error) out.push(`Error: ${e.error}`, '');
    out.push('Request headers:', '', fence(headerLines(e.request.headers), 'http'), '');
    if (e.request.body !== null && e.request.body !== '') out.push('Request body:', '', fence(truncate(e.request.body)), '');
    if (e.response) {
      out.push('Response headers:', '', fence(headerLines(e.response.headers), 'http'), '');
      if (e.response.body !== null && e.response.body !== '') {
        const note = e.response.bodyTruncated ? ` (recorded in part; ${e.response.size} bytes in all)` : '';
        out.push(`Response body${note}:`, '', fence(truncate(e.response.body)), '');
      }
    } else {
      out.push('No response.', '');
    }
  }
  return out;
}

/** RFC 9110 §15: 4xx and 5xx are failures; so is no answer at all. */
export function isFailed(exchange: ExchangeDto): boolean {
  if (isBrowserLeg(exchange)) return exchange.error !== undefined;
  return exchange.status === null || exchange.status >= 400 || exchange.error !== undefined;
}

function headerLines(headers: readonly [string, string][]): string {
  return headers.length === 0 ? '(none)' : headers.map(([n, v]) => `${n}: ${v}`).join('\n');
}

function truncate(body: string): string {
  return body.length <= REPORT_BODY_LIMIT
    ? body
    : `${body.slice(0, REPORT_BODY_LIMIT)}\n… (truncated: ${body.length - REPORT_BODY_LIMIT} more characters)`;
}

/** A fence longer than any backtick run in the text, so a body cannot close it (CommonMark §4.5). */
function fence(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(Math.max(3, longest + 1));
  return `${ticks}${info}\n${text}\n${ticks}`;
}

/** A table cell: pipes escaped and line breaks flattened (GFM tables are one line per row). */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function asSent(value: unknown): string {
  if (value === undefined) return 'absent';
  return `\`${JSON.stringify(value)}\` (${value === null ? 'null' : typeof value})`;
}

function iso(epoch: number): string {
  const ms = epochToMs(epoch);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(epoch);
}
