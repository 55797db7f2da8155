import { oneuphealth } from '@/lib/providers/oneuphealth';
import type { OneUpHealthSandbox } from './index';
import { testOrigin } from '../shared/test-helpers';

/** Shared fixtures for the sandbox's unit tests (not a test file itself). */

export const mountPath = '/sandbox/1uphealth';
export const testBase = `${testOrigin}${mountPath}`;
export const tokenPath = '/auth/realms/dev-portal/protocol/openid-connect/token';
export const bulkBase = '/v1/bison/bulk-export/bulk-data/r4';
export const redirectUri = `${testOrigin}/api/oauth/1uphealth/callback`;

/** A credential preset from the provider file, by id. */
export function getPreset(id: string): (typeof oneuphealth.presets)[number] {
  const preset = oneuphealth.presets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

/** Sends `pathAndQuery` (relative to the mount point) to the sandbox as a request on the test origin. */
export function send(sandbox: OneUpHealthSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice(mountPath.length));
}

/**
 * A GET that carries a body, as `curl -X GET -d …` sends it. fetch's Request refuses to build one, so the test
 * builds a POST and relabels its method, which is what a host that passes GET bodies through would hand over.
 */
export function getWithBody(sandbox: OneUpHealthSandbox, pathAndQuery: string, body: string, headers: Record<string, string>): Promise<Response> {
  const url = new URL(`${testBase}${pathAndQuery}`);
  const request = new Request(url, { method: 'POST', body, headers });
  Object.defineProperty(request, 'method', { value: 'GET' });
  return sandbox.handle(request, url.pathname.slice(mountPath.length));
}

export const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' };

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`;
}

/** A client-credentials token for a dev-portal preset, failing the test unless the realm answers 200. */
export async function getKeycloakToken(sandbox: OneUpHealthSandbox, presetId = 'provider-access', scope = 'bulk-data|user/*.rs'): Promise<string> {
  const preset = getPreset(presetId);
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: preset.clientId, client_secret: preset.clientSecret, scope });
  const response = await send(sandbox, tokenPath, { method: 'POST', headers: formHeaders, body: body.toString() });
  if (response.status !== 200) throw new Error(`token request failed with ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', ...extra };
}

/** The sandbox path of an absolute URL the sandbox returned (Content-Location, links, manifest file URL). */
export function toSandboxPath(absoluteUrl: string): string {
  const url = new URL(absoluteUrl);
  return `${url.pathname.slice(mountPath.length)}${url.search}`;
}

/** A FHIR searchset Bundle as the tests read it. */
export interface Bundle<R = Record<string, unknown>> {
  resourceType: 'Bundle';
  type: string;
  total: number;
  link: Array<{ relation: string; url: string }>;
  entry?: Array<{ fullUrl: string; resource: R & { resourceType: string; id: string } }>;
}

/** The form of a sign-in or consent page: its action (as a sandbox path) and every hidden input's value. */
export function parseForm(page: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form in page: ${page.slice(0, 400)}`);
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[match[1] ?? ''] = match[2] ?? '';
  return { action: action.slice(mountPath.length), fields };
}
