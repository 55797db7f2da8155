import 'server-only';
import { handleEncounterList, handleEncounterRead, handlePayerList, handlePayerRead } from './api';
import { decodeSegment } from '../shared/path';
import { createJwks } from '../shared/signing-key';
import { simulatedApiFailure, withTokenSimulation } from '../shared/simulation';
import { authenticateBearer } from './bearer';
import type { CandidAccount } from './credentials';
import type { CandidContext } from './context';
import { fernError, jsonResponse, methodNotAllowed, routeNotFound, unauthorized } from './responses';
import { candidApiFailures, candidTokenFailures } from './simulation';
import { handleTokenRequest } from './token';

type Authenticated = (account: CandidAccount) => Response | Promise<Response>;

/** Path segments after the mount point, each percent-decoded once; a trailing slash is ignored. */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.split('/').map(decodeSegment);
}

async function withBearer(context: CandidContext, request: Request, handler: Authenticated): Promise<Response> {
  const result = await authenticateBearer(context, request);
  if ('response' in result) return result.response;
  return simulatedApiFailure(request, candidApiFailures(context)) ?? handler(result.account);
}

/**
 * A write to encounters (create with POST, update with PATCH). A read-only key is refused with 403
 * `UnauthorizedError`, the status the SDK gives that error; a read-write key learns that the sandbox does not
 * emulate writes (501 `NotImplementedError`).
 */
function encounterWrite(context: CandidContext, request: Request): Promise<Response> {
  return withBearer(context, request, (account) =>
    account.readOnly
      ? unauthorized(403, 'This API key is read-only: it may not create or update encounters.')
      : fernError(501, 'NotImplementedError', { message: 'The built-in Candid sandbox does not emulate writes; only GET is served.' }),
  );
}

function routeEncounters(context: CandidContext, request: Request, rest: string[]): Response | Promise<Response> {
  const [encounterId, ...extra] = rest;
  if (extra.length > 0) return routeNotFound(request.method, new URL(request.url).pathname);
  if (encounterId === undefined) {
    if (request.method === 'GET') return withBearer(context, request, (account) => handleEncounterList(context, request, account));
    return request.method === 'POST' ? encounterWrite(context, request) : methodNotAllowed(['GET', 'POST']);
  }
  if (request.method === 'GET') return withBearer(context, request, (account) => handleEncounterRead(context, request, account, encounterId));
  return request.method === 'PATCH' ? encounterWrite(context, request) : methodNotAllowed(['GET', 'PATCH']);
}

function routePayers(context: CandidContext, request: Request, rest: string[]): Response | Promise<Response> {
  const [payerUuid, ...extra] = rest;
  if (extra.length > 0) return routeNotFound(request.method, new URL(request.url).pathname);
  if (request.method !== 'GET') return methodNotAllowed(['GET']);
  return withBearer(context, request, () => (payerUuid === undefined ? handlePayerList(request) : handlePayerRead(payerUuid)));
}

/** Dispatches one request to the emulated Candid endpoint for `path` (the part after the mount point). */
export async function routeRequest(context: CandidContext, request: Request, path: string): Promise<Response> {
  const segments = splitPath(path);
  const [first, second, third, ...rest] = segments;
  switch (segments.join('/')) {
    case 'api/auth/v2/token':
      return withTokenSimulation(request, candidTokenFailures, () => handleTokenRequest(context, request));
    case '.well-known/jwks.json':
      // Candid's docs point to a PEM on its Auth0 tenant, not a JWKS; this one lets the console verify tokens.
      if (request.method !== 'GET') return methodNotAllowed(['GET']);
      return jsonResponse(createJwks(await context.getSigningKey()));
    case 'pem': {
      // Mirrors https://candidhealth.auth0.com/pem, which Candid's docs name for verifying tokens.
      if (request.method !== 'GET') return methodNotAllowed(['GET']);
      const { publicPem } = await context.getSigningKey();
      return new Response(publicPem, { status: 200, headers: { 'Content-Type': 'application/x-pem-file' } });
    }
  }
  if (first === 'api' && second === 'encounters' && third === 'v4') return routeEncounters(context, request, rest);
  if (first === 'api' && second === 'payers' && third === 'v3') return routePayers(context, request, rest);
  return routeNotFound(request.method, new URL(request.url).pathname);
}
