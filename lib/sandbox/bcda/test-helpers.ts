import { bcda } from '@/lib/providers/bcda';
import type { BcdaSandbox } from './index';
import { basicAuthorization, testOrigin } from '../shared/test-helpers';

/** Shared fixtures for the sandbox's unit tests (not a test file itself). */

export const testBase = `${testOrigin}/sandbox/bcda`;

/** A credential preset from the provider file, by id. */
export function getPreset(id: string): (typeof bcda.presets)[number] {
  const preset = bcda.presets.find((candidate) => candidate.id === id);
  if (!preset) throw new Error(`no preset ${id}`);
  return preset;
}

/** Sends `pathAndQuery` (relative to the mount point) to the sandbox as a request on the test origin. */
export function send(sandbox: BcdaSandbox, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`${testBase}${pathAndQuery}`);
  return sandbox.handle(new Request(url, init), url.pathname.slice('/sandbox/bcda'.length));
}

/** Gets an access token for a preset, failing the test when the token endpoint does not answer 200. */
export async function getAccessToken(sandbox: BcdaSandbox, presetId: string): Promise<string> {
  const preset = getPreset(presetId);
  const response = await send(sandbox, '/auth/token', {
    method: 'POST',
    headers: { Authorization: basicAuthorization(preset.clientId, preset.clientSecret), Accept: 'application/json' },
  });
  if (response.status !== 200) throw new Error(`token request failed with ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The headers a valid bulk kick-off needs. */
export function bulkHeaders(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', Prefer: 'respond-async' };
}

/** The sandbox path of an absolute URL the sandbox returned (Content-Location, manifest file URL). */
export function toSandboxPath(absoluteUrl: string): string {
  const url = new URL(absoluteUrl);
  return `${url.pathname.slice('/sandbox/bcda'.length)}${url.search}`;
}
