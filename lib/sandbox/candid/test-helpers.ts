import { candid } from '@/lib/providers/candid';
import type { CandidSandbox } from './index';
import { testOrigin } from '../shared/test-helpers';

/** Shared fixtures for the sandbox's unit tests (not a test file itself). */

export const mountPath = '/sandbox/candid';
export const testBase = `${testOrigin}${mountPath}`;

/** A credential preset from the provider file, by id. */
export function getPreset(id: string): (typeof candid.presets)[number] {
  const preset = candid.presets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

/** Sends `pathAndQuery` (relative to the mount point) to the sandbox as a request on the test origin. */
export function send(sandbox: CandidSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice(mountPath.length));
}

/** The seed's JSON token request, as the SDK and `curl -H 'Content-Type: application/json' -d '{…}'` send it. */
export function jsonTokenRequest(clientId: string, clientSecret: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ client_id: clientId, client_secret: clientSecret }),
  };
}

/** The seed's form token request, as `curl -d client_id=…&client_secret=…` sends it. */
export function formTokenRequest(clientId: string, clientSecret: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: '*/*' },
    body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString(),
  };
}

/** Gets an access token for a preset, failing the test when the token endpoint does not answer 200. */
export async function getAccessToken(sandbox: CandidSandbox, presetId: string): Promise<string> {
  const preset = getPreset(presetId);
  const response = await send(sandbox, '/api/auth/v2/token', jsonTokenRequest(preset.clientId, preset.clientSecret));
  if (response.status !== 200) throw new Error(`token request failed with ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** GETs an API path with a bearer token. */
export function getWithToken(sandbox: CandidSandbox, pathAndQuery: string, token: string): Promise<Response> {
  return send(sandbox, pathAndQuery, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
}
