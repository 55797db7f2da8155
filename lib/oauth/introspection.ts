import 'server-only';
import type { IntrospectionDto } from '@/lib/contract/schemas';
import { HttpError } from '@/lib/http/errors';
import { sendOutbound } from '@/lib/http/outbound';
import { redactText } from '@/lib/http/redact';
import type { StoredToken } from '@/lib/session/vault';
import type { ResolvedFlow } from './flow';
import type { TokenEndpointContext } from './token-endpoint';
import { mintFlowAssertion } from './client-authentication';
import { authenticateClient } from './token-request';
import { recordTokenRefusal } from './token-refusal';

/**
 * Asks the provider what it knows of the session's access token (RFC 7662), for opaque tokens that carry no
 * claims of their own. The client authenticates as at the token endpoint; the token travels only in the form body.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.1
 */
export async function introspectSessionToken(ctx: TokenEndpointContext, stored: StoredToken, flow: ResolvedFlow): Promise<IntrospectionDto> {
  const { env, grant, credential, provider } = flow;
  if (!env.introspectionUrl) {
    throw new HttpError(400, 'bad_request', `${provider.name} offers no token introspection in ${env.environment.label}.`);
  }
  const secrets = [stored.accessToken, credential.clientSecret];
  // private_key_jwt: a fresh assertion whose aud is the token URL, which servers accept for their other endpoints
  // too (RFC 7523 §3: aud identifies the authorization server).
  const clientAssertion = grant.clientAuth === 'private_key_jwt' ? (await mintFlowAssertion(flow)).assertion : undefined;
  if (clientAssertion) secrets.push(clientAssertion);
  const authentication = authenticateClient(grant.clientAuth, { clientId: credential.clientId, clientSecret: credential.clientSecret, clientAssertion });
  const form = new URLSearchParams({ token: stored.accessToken, token_type_hint: 'access_token', ...authentication.params });
  const headers: [string, string][] = [['Accept', 'application/json'], ['Content-Type', 'application/x-www-form-urlencoded'], ...authentication.headers];
  const result = await sendOutbound(
    { method: 'POST', url: env.introspectionUrl, headers, body: form.toString(), allowedOrigin: env.origin, timeoutMs: 10_000, publicAddressesOnly: env.environment.userSupplied },
    { kind: 'text', maxBytes: 64 * 1024 },
    { kind: 'other', providerId: provider.id, environmentId: env.environment.id, secrets },
  );
  await ctx.vault.recordExchange(ctx.sid, result.exchange);
  if (!result.ok) throw new HttpError(502, result.failure.code, result.failure.message, { exchangeId: result.exchange.id });
  const { response } = result;
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || typeof body !== 'object' || body === null || typeof (body as { active?: unknown }).active !== 'boolean') {
    throw new HttpError(424, 'upstream_rejected', `${provider.name}'s introspection endpoint answered ${response.status} without an RFC 7662 answer.`, {
      hint: response.status === 401 || response.status === 403 ? 'The client was not authenticated for introspection.' : 'See the exchange in the timeline.',
      upstream: { status: response.status, contentType: response.contentType, body: result.exchange.response?.body ?? '' },
      exchangeId: result.exchange.id,
    });
  }
  const { active, ...rest } = body as { active: boolean } & Record<string, unknown>;
  // SECURITY.md rule 15: claim values reach the page, and an echoing server may repeat what it was sent in them.
  const claims = Object.fromEntries(Object.entries(rest).filter(([key]) => !/token|secret/i.test(key)).map(([key, value]) => [key, redactValue(value, secrets)]));
  if (!active) {
    await recordTokenRefusal(ctx.vault, ctx.sid, stored, { at: Date.now(), source: 'introspection', reason: `${provider.name}'s introspection says the token is not active.`, exchangeId: result.exchange.id });
  }
  return { active, claims, exchangeId: result.exchange.id, checkedAt: Date.now() };
}

/** Every string of a claim value (RFC 7662 §2.2 allows nested JSON) with the request's secrets redacted. */
function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, secrets)]));
  return value;
}
