import 'server-only';
import { FHIR_USER_HEADERS } from '@/lib/contract/headers';
import type { ExchangeDto, FhirProxyRequest, FhirProxyResponse, SimulatedFailure } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { sendOutbound, type OutboundResponse } from '@/lib/http/outbound';
import { redactText } from '@/lib/http/redact';
import { r4SummaryOfBody } from '@/lib/conformance/fhir-validation';
import { simulationHeaders } from '@/lib/http/simulation';
import { resourceRefusalReason } from '@/lib/oauth/token-refusal';
import type { ResolvedEnvironment } from '@/lib/providers/resolve';
import type { StoredToken } from '@/lib/session/vault';
import { sendWithDpop, withDpopProof, type DpopResourceContext } from '@/lib/oauth/dpop';
import { checkEnvironmentPath, joinEnvironmentUrl } from '@/lib/contract/environment-paths';
import { getHeader } from '@/lib/contract/headers';

const FHIR_TIMEOUT_MS = 30_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Sends one FHIR (or provider API) request for the page, with the session's token attached only when the token
 * belongs to this very environment. The path is checked against the environment's grammar first, and nothing is
 * sent when it fails. NDJSON is previewed: the BFF reads the first lines and stops the stream.
 */
export async function sendFhirRequest(
  env: ResolvedEnvironment,
  token: StoredToken | null,
  request: Required<Pick<FhirProxyRequest, 'method' | 'path' | 'headers' | 'previewLines'>> & { body?: string },
  recordExchange: (exchange: ExchangeDto) => Promise<void>,
  options: {
    /** The session's simulated failures for this provider; sent to the built-in sandbox only. */
    simulations?: readonly SimulatedFailure[];
    /** Called when the server answered 401 to the token this request carried, with its reason (RFC 6750 §3.1). */
    onTokenRefused?: (token: StoredToken, reason: string, exchangeId: string) => Promise<void>;
    /** The session, to sign a DPoP proof for a DPoP-bound token (RFC 9449 §7). */
    dpop?: DpopResourceContext;
  } = {},
): Promise<FhirProxyResponse> {
  const body = request.body === '' ? undefined : request.body;
  if (body !== undefined && request.method !== 'POST') {
    throw new HttpError(400, 'bad_request', `A ${request.method} request cannot carry a body.`, {
      hint: 'Send the body with POST, or clear it.',
    });
  }
  const { url, headers, usable } = buildFhirCall(env, token, request);
  headers.push(...simulationHeaders(env.environment.kind, options.simulations));

  const send = (attempt: { headers: [string, string][]; proofJwt?: string }) =>
    sendOutbound(
      { method: request.method, url, headers: [...headers, ...attempt.headers], body, allowedOrigin: env.apiOrigin, timeoutMs: FHIR_TIMEOUT_MS, publicAddressesOnly: env.environment.userSupplied },
      isNdjsonPath(url) ? { kind: 'ndjson-preview', lines: request.previewLines } : { kind: 'text', maxBytes: MAX_BODY_BYTES },
      {
        kind: 'fhir',
        providerId: env.provider.id,
        environmentId: env.environment.id,
        secrets: [...(usable ? [usable.accessToken] : []), ...(attempt.proofJwt ? [attempt.proofJwt] : [])],
      },
    );
  const { result, attempt } = await sendWithDpop(
    options.dpop,
    usable,
    request.method,
    url,
    send,
    (sent) => (sent.ok ? sent.response : null),
    (sent, first) => recordExchange(withDpopProof(sent.exchange, first.proof)),
  );
  // Issue #18: the whole answer is validated against R4 here, where it was read whole; the timeline keeps only its start.
  const r4 = result.ok && !result.response.truncated && env.provider.apiKind === 'fhir' ? r4SummaryOfBody(result.response.text, result.response.contentType) : undefined;
  const exchange = withDpopProof(result.exchange, attempt.proof);
  await recordExchange(r4 ? { ...exchange, r4 } : exchange);
  if (!result.ok) {
    throw new HttpError(result.failure.code === 'upstream_timeout' ? 504 : 502, result.failure.code, result.failure.message, {
      exchangeId: result.exchange.id,
    });
  }
  const refused = usable && resourceRefusalReason(result.response.status, result.exchange.response?.headers ?? [], result.exchange.response?.body ?? '');
  if (usable && refused) await options.onTokenRefused?.(usable, refused, result.exchange.id);
  return toProxyResponse(result.response, result.exchange, usable, request.previewLines);
}

/** The page's view of an upstream answer: recorded (redacted) headers, the body shaped by kind, the token redacted. */
export function toProxyResponse(
  response: OutboundResponse,
  exchange: ExchangeDto,
  usable: StoredToken | null,
  previewLines: number,
): FhirProxyResponse {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: exchange.response?.headers ?? [],
    durationMs: response.durationMs,
    url: exchange.url,
    contentType: response.contentType,
    exchangeId: exchange.id,
    size: response.bytesRead,
    ...shapeBody(redactText(response.text, usable ? [usable.accessToken] : []), response.contentType, response.bytesRead, response.truncated, previewLines),
  };
}

/**
 * Checks a FHIR request's path and headers against the environment and builds what goes on the wire: the URL
 * under the environment's base, the user's allowed headers, and the session's token only when the token belongs
 * to this very environment. Throws a 400 and sends nothing when a check fails.
 */
export function buildFhirCall(
  env: ResolvedEnvironment,
  token: StoredToken | null,
  request: { path: string; headers: Record<string, string> },
  defaultAccept = 'application/fhir+json',
): { url: URL; headers: [string, string][]; usable: StoredToken | null } {
  const checked = checkEnvironmentPath(request.path, env.environment.allowedPathPrefixes);
  if (!checked.ok) {
    throw new HttpError(400, 'path_not_allowed', `Refused path "${request.path}": ${checked.reason}.`, {
      hint: `Paths are relative to ${env.apiBaseUrl}.`,
    });
  }
  const url = joinEnvironmentUrl(env.apiBaseUrl, checked.pathname, checked.search);
  if (!url) throw new HttpError(400, 'path_not_allowed', `Refused path "${request.path}": it leaves ${env.apiBaseUrl}.`);

  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!FHIR_USER_HEADERS.has(name.toLowerCase())) {
      throw new HttpError(400, 'bad_request', `Header "${name}" cannot be set here.`, {
        hint: `You may set ${[...FHIR_USER_HEADERS].join(', ')}. The console attaches the session's token itself.`,
      });
    }
    headers.push([name, value]);
  }
  if (getHeader(headers, 'accept') === undefined) headers.push(['Accept', defaultAccept]);
  const usable = token && token.environmentId === env.environment.id ? token : null;
  // BCDA requires the capital B of "Bearer" whatever token_type said; a DPoP-bound token goes as DPoP (RFC 9449 §7.1).
  if (usable) headers.push(['Authorization', `${usable.dpop ? 'DPoP' : 'Bearer'} ${usable.accessToken}`]);

  return { url, headers, usable };
}

function isNdjsonPath(url: URL): boolean {
  return url.pathname.endsWith('.ndjson');
}

export function shapeBody(
  text: string,
  contentType: string | null,
  bytesRead: number,
  truncated: boolean,
  previewLines: number,
): Pick<FhirProxyResponse, 'bodyKind' | 'json' | 'text' | 'ndjson'> {
  if (text.length === 0) return { bodyKind: 'empty' };
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.includes('ndjson')) {
    const lines = text.split('\n');
    // The last piece may be a partial line cut by the preview.
    const complete = truncated || !text.endsWith('\n') ? lines.slice(0, -1) : lines.filter((l) => l.length > 0);
    const shown = complete.slice(0, previewLines).map(parseLine);
    return {
      bodyKind: 'ndjson',
      ndjson: { lines: shown, linesShown: shown.length, bytesRead, truncated: truncated || complete.length > previewLines },
    };
  }
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return { bodyKind: 'json', json: JSON.parse(text) };
    } catch {
      return { bodyKind: 'text', text: truncated ? `${text}\n… (truncated at ${bytesRead} bytes)` : text };
    }
  }
  return { bodyKind: 'text', text };
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return { invalidLine: line.slice(0, 500) };
  }
}
