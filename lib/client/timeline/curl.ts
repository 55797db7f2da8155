import { epochToMs } from '@/lib/client/relative-time';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { toSegments, variableForField, type Segment } from './placeholders';

/**
 * Headers curl sets itself or that only make sense per connection (RFC 9110 §7.6.1 hop-by-hop fields, and `Host`,
 * `Content-Length`, `Accept-Encoding`, which curl computes).
 */
const DROPPED_HEADERS = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'accept-encoding',
]);

/** `it's` → `'it'\''s'`: POSIX single quotes take everything literally except the quote itself. */
export function shellSingleQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell word from literal text and variable references. Without variables: single quotes. With them: double quotes,
 * with `\`, `"`, `$` and backtick escaped in the literal parts so only the named variables expand; `!` is put in
 * single quotes because interactive bash expands history inside double quotes.
 */
export function shellWord(segments: readonly Segment[]): string {
  if (!segments.some((s) => 'variable' in s)) {
    return shellSingleQuote(segments.map((s) => ('literal' in s ? s.literal : '')).join(''));
  }
  let out = '';
  segments.forEach((segment, i) => {
    if ('literal' in segment) {
      out += segment.literal.replace(/[\\"$`]/g, (c) => `\\${c}`).replace(/!/g, `"'!'"`);
      return;
    }
    const next = segments[i + 1];
    // `$CODE_x` would name another variable: brace it when an identifier character follows.
    const braced = next !== undefined && 'literal' in next && /^[A-Za-z0-9_]/.test(next.literal);
    out += braced ? `\${${segment.variable}}` : `$${segment.variable}`;
  });
  return `"${out}"`;
}

function variablesOf(segments: readonly Segment[]): string[] {
  return segments.flatMap((s) => ('variable' in s ? [s.variable] : []));
}

/**
 * The exchange as a copy-pasteable curl command. The exchange is already redacted by the server; every credential
 * becomes an environment variable the integrator sets (`--user "$CLIENT_ID:$CLIENT_SECRET"`,
 * `Authorization: Bearer $ACCESS_TOKEN`, `client_secret=$CLIENT_SECRET`), so no value from the exchange that could
 * be a secret is ever emitted.
 * @see https://curl.se/docs/manpage.html
 */
export function toCurl(exchange: ExchangeDto): string {
  const variables = new Set<string>();
  const word = (segments: Segment[]) => {
    for (const v of variablesOf(segments)) variables.add(v);
    return shellWord(segments);
  };

  const lines: string[] = [];
  lines.push(`curl -X ${exchange.method.toUpperCase()} ${word(toSegments(exchange.url))}`);

  for (const [name, value] of exchange.request.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      lines.push(authorizationOption(name, value, word));
      continue;
    }
    lines.push(`-H ${word(toSegments(`${name}: ${value}`, variableForField(name)))}`);
  }

  const body = exchange.request.body;
  if (body !== null) lines.push(`--data-raw ${word(toSegments(body))}`);

  const comment = `# ${exchange.kind} exchange at ${new Date(epochToMs(exchange.startedAt)).toISOString()}`;
  const setFirst = variables.size > 0 ? `; set ${[...variables].join(', ')} first` : '';
  return `${comment}${setFirst}\n${lines.join(' \\\n  ')}\n`;
}

/**
 * Whatever the recorded value, a credential header is replaced by variables: Basic by `--user` (curl encodes it,
 * RFC 7617), Bearer by `$ACCESS_TOKEN` (RFC 6750 §2.1), any other scheme by a variable named after the header.
 */
function authorizationOption(name: string, value: string, word: (segments: Segment[]) => string): string {
  const scheme = value.trim().split(/\s+/)[0] ?? '';
  if (name.toLowerCase() === 'authorization' && scheme.toLowerCase() === 'basic') {
    return `--user ${word([{ variable: 'CLIENT_ID' }, { literal: ':' }, { variable: 'CLIENT_SECRET' }])}`;
  }
  if (scheme.toLowerCase() === 'bearer') {
    return `-H ${word([{ literal: `${name}: Bearer ` }, { variable: 'ACCESS_TOKEN' }])}`;
  }
  const variable = variableForField(name);
  return scheme && scheme !== value.trim() && /^[A-Za-z][A-Za-z0-9-]*$/.test(scheme)
    ? `-H ${word([{ literal: `${name}: ${scheme} ` }, { variable }])}`
    : `-H ${word([{ literal: `${name}: ` }, { variable }])}`;
}
