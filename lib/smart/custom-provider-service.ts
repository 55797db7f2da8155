import 'server-only';
import type { z } from 'zod';
import type { DiscoveryDto, customProviderInputSchema, RegisterClientResponse } from '@/lib/contract/smart';
import { HttpError } from '@/lib/http/errors';
import { readJsonObject } from '@/lib/http/json-object';
import { sendOutbound } from '@/lib/http/outbound';
import { redactText } from '@/lib/http/redact';
import { redirectUriFor } from '@/lib/oauth/authorization-code';
import { builtinOrigin } from '@/lib/providers/resolve';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import type { SessionVault } from '@/lib/session/vault';
import { checkConfiguration } from './config-checks';
import { bindingChanges, credentialBindingOf, describeServers, type BindingChange } from './credential-binding';
import { savedCredentialBinding, type CustomProviderRecord } from './custom-provider';
import { discoverServer, type DiscoveryResult } from './discovery';
import { checkAdvertisedUrl, discoveryTarget, type DiscoveryTarget } from './discovery-target';
import { MAX_CUSTOM_PROVIDERS, jwksUrlOf, newCustomProviderId, type Workspace } from './workspace';

/** What a custom-provider route needs to know about the request it serves. */
export interface CustomProviderContext {
  vault: SessionVault;
  sid: string;
  publicOrigin: string;
}

type CustomProviderInput = z.infer<typeof customProviderInputSchema>;

export function targetOf(input: string, publicOrigin: string): DiscoveryTarget {
  return discoveryTarget(input, { publicOrigin, builtinOrigin: builtinOrigin(), builtinEnabled: builtinSandboxesEnabled() });
}

/** Discovers the server behind a typed URL; every document fetched lands in the session's timeline. */
export async function discoverForSession(ctx: CustomProviderContext, input: string): Promise<{ target: DiscoveryTarget; result: DiscoveryResult }> {
  const target = targetOf(input, ctx.publicOrigin);
  const result = await discoverServer(target.url, { allowLoopback: target.allowLoopback, providerId: 'custom', environmentId: 'discovery' });
  for (const doc of result.documents) if (doc.exchange) await ctx.vault.recordExchange(ctx.sid, doc.exchange);
  return { target, result };
}

export function toDiscoveryDto(result: DiscoveryResult): DiscoveryDto {
  return {
    ok: result.ok,
    base: result.base,
    refused: result.refused,
    documents: result.documents.map((doc) => ({
      kind: doc.kind,
      url: doc.url,
      status: doc.status,
      httpStatus: doc.httpStatus,
      location: doc.location,
      message: doc.message,
      problems: doc.problems,
      exchangeId: doc.exchange?.id,
    })),
    server: result.server,
    disagreements: result.disagreements,
    findings: result.findings,
  };
}

/**
 * Builds the record to save from the form and a fresh discovery (the page's copy of the metadata is not trusted).
 * Refuses what cannot work at all; what may fail is saved with its findings.
 */
export async function buildCustomProviderRecord(
  ctx: CustomProviderContext,
  input: CustomProviderInput,
  workspace: Workspace,
  existing?: CustomProviderRecord,
): Promise<CustomProviderRecord> {
  if (!existing && workspace.providers.length >= MAX_CUSTOM_PROVIDERS) {
    throw new HttpError(409, 'conflict', `You have ${MAX_CUSTOM_PROVIDERS} providers saved, the most a workspace keeps.`, { hint: 'Delete one you no longer use.' });
  }
  const { config } = input;
  const fhirBaseUrl = targetOf(input.fhirBaseUrl?.trim() || input.discoveryUrl, ctx.publicOrigin).url.replace(/\/+$/, '');
  // Rule 15: the origins the input names are checked before discovery, so that another server hears nothing at all;
  // the token endpoint's, known from discovery, after it.
  const savedBinding = existing ? savedCredentialBinding(existing, targetOf(existing.discoveryUrl, ctx.publicOrigin).url) : undefined;
  const named = credentialBindingOf({ discoveryUrl: targetOf(input.discoveryUrl, ctx.publicOrigin).url, tokenEndpoint: '', fhirBaseUrl });
  // A URL that is not http(s) is left to the checks below, which explain it better; nothing is sent to it.
  const early = Object.fromEntries(Object.entries({ discovery: named.discovery, fhir: named.fhir }).filter(([, value]) => /^https?:\/\//.test(value)));
  if (existing && savedBinding) assertCredentialMayFollow(existing, input, bindingChanges(savedBinding, early));

  const { target, result } = await discoverForSession(ctx, input.discoveryUrl);
  if (!result.ok || !result.server) {
    throw new HttpError(422, 'discovery_failed', result.refused?.message ?? `Nothing usable was found under ${result.base ?? input.discoveryUrl}.`, {
      hint: result.findings.filter((f) => f.severity === 'error').map((f) => f.message).join(' ') || 'Check the URL: an issuer or a FHIR base URL.',
    });
  }
  const server = result.server;
  const origin = builtinOrigin();
  const endpoint = (field: 'token_endpoint' | 'authorization_endpoint', needed: string) => {
    const value = server[field];
    if (!value) throw new HttpError(422, 'discovery_failed', `The server advertises no ${field}, which ${needed} needs.`, { hint: 'Check the URL, or pick the other grant.' });
    const checked = checkAdvertisedUrl(value, target, origin);
    if (!checked.ok) throw new HttpError(422, 'discovery_failed', `The ${field} will not be called: ${checked.message}`);
  };
  endpoint('token_endpoint', 'every grant');
  if (config.grant === 'authorization_code') endpoint('authorization_endpoint', 'the authorization code grant');
  for (const field of ['jwks_uri', 'introspection_endpoint'] as const) {
    if (server[field] && !checkAdvertisedUrl(server[field], target, origin).ok) delete server[field];
  }

  const fhirCheck = checkAdvertisedUrl(fhirBaseUrl, target, origin);
  if (!fhirCheck.ok) throw new HttpError(400, 'validation_failed', `The FHIR base URL will not be called: ${fhirCheck.message}`);

  if (config.pkce === 'plain') {
    throw new HttpError(400, 'validation_failed', 'PKCE "plain" protects nothing a network observer cannot see; the console sends S256 only.', { hint: 'Choose S256, or none if the server has no PKCE.' });
  }
  const credentialBinding = credentialBindingOf({ discoveryUrl: target.url, tokenEndpoint: server.token_endpoint ?? '', fhirBaseUrl });
  const changes = savedBinding ? bindingChanges(savedBinding, credentialBinding) : [];
  if (existing) assertCredentialMayFollow(existing, input, changes);

  const usesSecret = secretAuth(config.clientAuth);
  // The saved secret is kept only while the server is the one it was given for.
  const clientSecret = usesSecret ? input.clientSecret || (changes.length === 0 ? existing?.clientSecret : '') || '' : '';
  if (usesSecret && !clientSecret) {
    throw new HttpError(400, 'validation_failed', `${config.clientAuth} needs the client secret the provider issued.`);
  }
  let keyKid: string | undefined;
  if (config.clientAuth === 'private_key_jwt') {
    const key = workspace.keys.find((k) => k.kid === input.keyKid);
    if (!key) {
      throw new HttpError(400, 'validation_failed', input.keyKid ? 'That signing key is not in your workspace.' : 'private_key_jwt needs one of your keys to sign the assertions.', {
        hint: 'Generate or import a key under Client keys, then pick it.',
      });
    }
    keyKid = key.kid;
    config.assertionAlg = key.alg;
  }

  const id = existing?.id ?? newCustomProviderId();
  const redirectUri = redirectUriFor(ctx.publicOrigin, id);
  const now = new Date().toISOString();
  return {
    id,
    name: input.name,
    discoveryUrl: input.discoveryUrl.trim(),
    fhirBaseUrl,
    environmentKind: target.builtin ? 'builtin' : input.environmentKind,
    clientId: input.clientId,
    clientSecret,
    keyKid,
    credentialBinding,
    config: { ...config, redirectUri: config.grant === 'authorization_code' ? redirectUri : undefined },
    server,
    findings: checkConfiguration(server, { ...config, redirectUri: config.grant === 'authorization_code' ? redirectUri : undefined }),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

const secretAuth = (clientAuth: CustomProviderInput['config']['clientAuth']) => clientAuth === 'client_secret_basic' || clientAuth === 'client_secret_post';

/**
 * SECURITY.md rule 15: an edit that points a provider at another server (`changes`) must bring the secret again, or
 * confirm the key for the new server; otherwise it is refused before anything is saved or sent with the credential.
 */
function assertCredentialMayFollow(existing: CustomProviderRecord, input: CustomProviderInput, changes: readonly BindingChange[]): void {
  if (changes.length === 0) return;
  const servers = describeServers(changes);
  const { clientAuth } = input.config;
  if (secretAuth(clientAuth) && !input.clientSecret && existing.clientSecret) {
    throw new HttpError(
      400,
      'validation_failed',
      `The saved client secret was given for ${servers.was}; this server is ${servers.now}. Enter the client secret again to use it with this server.`,
      {
        hint: 'A saved secret is sent only to the server it was entered for, so that changing a URL cannot send it somewhere else. Nothing was saved, and the secret was sent nowhere.',
        issues: [{ path: 'clientSecret', message: 'Enter the client secret again: the server changed.' }],
      },
    );
  }
  if (clientAuth === 'private_key_jwt' && input.keyConfirmedForNewServer !== true) {
    throw new HttpError(
      400,
      'validation_failed',
      `The signing key was confirmed for ${servers.was}; this server is ${servers.now}. Confirm that the key may sign client assertions for this server.`,
      {
        hint: 'A saved key signs only for the server it was confirmed for, so that changing a URL cannot make it sign for another. Tick “Sign for this server” under Signing key and save again. Nothing was saved.',
        issues: [{ path: 'keyConfirmedForNewServer', message: 'Confirm the signing key for the new server.' }],
      },
    );
  }
}

/** What a record built outside the workspace lock relies on, checked again under it before it is written. */
export function assertStillValid(workspace: Workspace, record: CustomProviderRecord): void {
  const isNew = !workspace.providers.some((p) => p.id === record.id);
  if (isNew && workspace.providers.length >= MAX_CUSTOM_PROVIDERS) {
    throw new HttpError(409, 'conflict', `You have ${MAX_CUSTOM_PROVIDERS} providers saved, the most a workspace keeps.`, { hint: 'Delete one you no longer use.' });
  }
  if (record.keyKid && !workspace.keys.some((k) => k.kid === record.keyKid)) {
    throw new HttpError(409, 'conflict', 'The signing key was deleted while the provider was being saved.', { hint: 'Pick another key and save again.' });
  }
}

const REGISTRATION_TIMEOUT_MS = 10_000;
/** Fields of a registration answer that are credentials: never shown, never logged. */
const REGISTRATION_SECRETS = ['client_secret', 'registration_access_token'];

/**
 * Registers a private_key_jwt client at the server's RFC 7591 registration endpoint with this workspace's JWKS URL,
 * so the server fetches the public keys itself; the answer's client_id is what the form saves.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html#registering-a-client-communicating-public-keys
 */
export async function registerClient(
  ctx: CustomProviderContext,
  workspace: Workspace,
  input: { discoveryUrl: string; clientName: string; grant: 'authorization_code' | 'client_credentials'; scopes: string[]; redirectUri?: string; keyKid?: string; dpopBoundAccessTokens?: boolean },
): Promise<RegisterClientResponse> {
  if (workspace.keys.length === 0) {
    throw new HttpError(409, 'conflict', 'Your JWKS has no key yet, so there is nothing for the server to verify assertions with.', { hint: 'Generate or import a key under Client keys first.' });
  }
  const { target, result } = await discoverForSession(ctx, input.discoveryUrl);
  const registrationEndpoint = result.server?.registration_endpoint;
  if (!registrationEndpoint) {
    throw new HttpError(422, 'discovery_failed', 'The server advertises no registration_endpoint, so it takes no dynamic registration.', {
      hint: 'Register the client in the provider’s developer portal with the JWKS URL shown under Client keys, then type the client id it gives you.',
    });
  }
  const checked = checkAdvertisedUrl(registrationEndpoint, target, builtinOrigin());
  if (!checked.ok) throw new HttpError(422, 'discovery_failed', `The registration endpoint will not be called: ${checked.message}`);
  if (input.grant === 'authorization_code' && !input.redirectUri) {
    throw new HttpError(400, 'validation_failed', 'An app client needs its redirect URI registered, and the console gives one only to a saved provider.', {
      hint: 'Save the provider first, then register from its edit form.',
    });
  }

  const jwksUri = jwksUrlOf(ctx.publicOrigin, workspace);
  const signingKey = input.keyKid ? workspace.keys.find((k) => k.kid === input.keyKid) : undefined;
  if (input.keyKid && !signingKey) throw new HttpError(400, 'validation_failed', 'That signing key is not in your workspace.');
  const metadata = {
    client_name: input.clientName,
    token_endpoint_auth_method: 'private_key_jwt',
    // Registered only when the signing key is known: a server holds the client to it (oidc-provider: "alg mismatch").
    ...(signingKey ? { token_endpoint_auth_signing_alg: signingKey.alg } : {}),
    jwks_uri: jwksUri,
    grant_types: input.grant === 'authorization_code' ? ['authorization_code', 'refresh_token'] : ['client_credentials'],
    response_types: input.grant === 'authorization_code' ? ['code'] : [],
    redirect_uris: input.grant === 'authorization_code' ? [input.redirectUri] : [],
    ...(input.scopes.length > 0 ? { scope: input.scopes.join(' ') } : {}),
    // RFC 9449 §5.2: the server then refuses this client's token requests without a DPoP proof.
    ...(input.dpopBoundAccessTokens ? { dpop_bound_access_tokens: true } : {}),
  };
  const url = new URL(registrationEndpoint);
  const sent = await sendOutbound(
    {
      method: 'POST',
      url,
      headers: [['Content-Type', 'application/json'], ['Accept', 'application/json']],
      body: JSON.stringify(metadata),
      allowedOrigin: url.origin,
      timeoutMs: REGISTRATION_TIMEOUT_MS,
      publicAddressesOnly: !target.allowLoopback,
    },
    { kind: 'text', maxBytes: 64 * 1024 },
    { kind: 'other', providerId: 'custom', environmentId: 'registration', secrets: [] },
  );
  const answered = sent.ok ? readJsonObject(sent.response.text) : null;
  const secrets = REGISTRATION_SECRETS.flatMap((field) => (typeof answered?.[field] === 'string' ? [answered[field]] : []));
  const answerBody = sent.exchange.response?.body;
  const exchange =
    sent.exchange.response && answerBody ? { ...sent.exchange, response: { ...sent.exchange.response, body: redactText(answerBody, secrets) } } : sent.exchange;
  await ctx.vault.recordExchange(ctx.sid, exchange);
  if (!sent.ok) throw new HttpError(502, sent.failure.code, sent.failure.message, { exchangeId: exchange.id });
  const status = sent.response.status;
  if ((status !== 201 && status !== 200) || typeof answered?.client_id !== 'string') {
    const error = typeof answered?.error === 'string' ? `${answered.error}${typeof answered.error_description === 'string' ? `: ${answered.error_description}` : ''}` : `HTTP ${status}`;
    throw new HttpError(424, 'upstream_rejected', `The registration endpoint refused the client (${error}).`, {
      hint: 'RFC 7591 servers often restrict dynamic registration (an initial access token, allowed grant types or scopes). The request and answer are in the timeline.',
      upstream: { status, contentType: sent.response.contentType, body: exchange.response?.body ?? '' },
      exchangeId: exchange.id,
    });
  }
  const registered = Object.fromEntries(Object.entries(answered).filter(([field]) => !REGISTRATION_SECRETS.includes(field)));
  return { clientId: answered.client_id, registrationEndpoint, jwksUri, registered, exchangeId: exchange.id };
}
