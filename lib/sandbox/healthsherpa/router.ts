import 'server-only';
import { decodeSegment } from '../shared/path';
import { simulatedApiFailure, withTokenSimulation } from '../shared/simulation';
import { apiRouteNotFound } from './api-responses';
import { handleAuthorizeGet, handleAuthorizePost } from './authorize';
import { authenticateBearer } from './bearer';
import { handleCreateContact, handleGetContact, handleListContacts, handleSearchContacts } from './contacts';
import type { HealthSherpaContext } from './context';
import { healthSherpaApiFailures, healthSherpaTokenFailures } from './simulation';
import { handleTokenRequest } from './token';

type Authenticated = (agentId: string) => Response | Promise<Response>;

/** Path segments after the mount point, each percent-decoded once; a trailing slash is ignored as Rails does. */
export function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean).map(decodeSegment);
}

/** Rails' answer for a route that does not exist, on the OAuth host: a plain 404 page. */
function oauthRouteNotFound(): Response {
  return new Response("The page you were looking for doesn't exist.\n", {
    status: 404,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

async function withBearer(context: HealthSherpaContext, request: Request, handler: Authenticated): Promise<Response> {
  const result = await authenticateBearer(context, request);
  if ('response' in result) return result.response;
  return simulatedApiFailure(request, healthSherpaApiFailures(context)) ?? handler(result.token.agentId);
}

// The Partner API's routes; Rails matches method and path together, so a wrong method is a 404 like a wrong path.
function routeApi(context: HealthSherpaContext, request: Request, rest: string[]): Response | Promise<Response> {
  const [resource, id, ...extra] = rest;
  if (resource !== 'contacts' || extra.length > 0) return apiRouteNotFound();
  const method = request.method;
  if (id === undefined && method === 'GET') return withBearer(context, request, (agent) => handleListContacts(context, request, agent));
  if (id === undefined && method === 'POST') return withBearer(context, request, (agent) => handleCreateContact(context, request, agent));
  if (id === 'search' && method === 'GET') return withBearer(context, request, (agent) => handleSearchContacts(context, request, agent));
  if (id !== undefined && id !== 'search' && method === 'GET') {
    return withBearer(context, request, (agent) => handleGetContact(context, agent, id));
  }
  return apiRouteNotFound();
}

/**
 * Dispatches one request to the emulated endpoint for `path` (the part after the mount point): the OAuth
 * server's `/oauth/authorize` and `/oauth/token`, and the Partner API's `/v2/…`, which HealthSherpa serves on a
 * separate host and the sandbox serves side by side.
 */
export async function routeRequest(context: HealthSherpaContext, request: Request, path: string): Promise<Response> {
  const segments = splitPath(path);
  const [first, second, ...rest] = segments;
  if (first === 'oauth' && rest.length === 0) {
    if (second === 'authorize' && request.method === 'GET') return handleAuthorizeGet(context, request);
    if (second === 'authorize' && request.method === 'POST') return handleAuthorizePost(context, request);
    if (second === 'token' && request.method === 'POST') return withTokenSimulation(request, healthSherpaTokenFailures, () => handleTokenRequest(context, request));
    return oauthRouteNotFound();
  }
  if (first === 'v2' && second !== undefined) return routeApi(context, request, segments.slice(1));
  if (first === 'v2') return apiRouteNotFound();
  return oauthRouteNotFound();
}
