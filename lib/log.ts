import 'server-only';
import pino from 'pino';
import { redactText } from './http/redact';

/** Credential-bearing names, wherever they sit: alone, one level down, or in a headers object. */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'Set-Cookie',
  'x-api-key',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'code_verifier',
  'clientSecret',
  'accessToken',
  'refreshToken',
  'idToken',
  'codeVerifier',
  'password',
];
const quoted = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [
  quoted(key).replace(/^\./, ''),
  `*${quoted(key)}`,
  `headers${quoted(key)}`,
  `*.headers${quoted(key)}`,
]);

/** Strings anywhere in a log line pass through the same redaction as the timeline (Bearer, secret-named fields). */
function redactStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, depth + 1)]));
}

/**
 * Structured JSON logs (SECURITY.md rule 11). Values under credential-bearing keys (headers, cookies, tokens,
 * secrets) are replaced wholesale, and every string, the message included, goes through `redactText`, so a
 * `Bearer …` or `client_secret=…` inside an error message is hidden too. Secrets are also kept out by
 * construction: exchanges are redacted before anything logs them.
 */
export function createLogger(destination?: pino.DestinationStream, level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info')): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'health-oauth-console' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { log: (object) => redactStrings(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const log = createLogger();
