import { type APIRequestContext } from '@playwright/test';
import { expect, test } from '../support/test';

const post = (request: APIRequestContext, baseURL: string, path: string, data: unknown) =>
  request.post(path, {
    headers: { 'x-console-request': '1', origin: baseURL, 'content-type': 'application/json' },
    data: Buffer.from(typeof data === 'string' ? data : JSON.stringify(data)),
  });

test('bad input gets a clear JSON error, never a 500', async ({ request, baseURL }) => {
  const cases: { path: string; data: unknown; status: number; code: string; message?: RegExp }[] = [
    { path: '/api/oauth/bcda/token', data: '{not json', status: 400, code: 'bad_request', message: /not valid JSON/ },
    { path: '/api/oauth/bcda/token', data: {}, status: 400, code: 'validation_failed', message: /environmentId/ },
    { path: '/api/oauth/bcda/token', data: { environmentId: 'builtin', credential: { kind: 'custom', clientId: '', clientSecret: '' } }, status: 400, code: 'validation_failed', message: /Enter a client ID/ },
    { path: '/api/oauth/bcda/token', data: { environmentId: 'mars', credential: { kind: 'preset', presetId: 'extra-small' } }, status: 404, code: 'not_found', message: /no environment "mars"/ },
    { path: '/api/oauth/bcda/token', data: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'nope' } }, status: 404, code: 'not_found', message: /no credential set "nope"/ },
    { path: '/api/oauth/bcda/token', data: { environmentId: 'production', credential: { kind: 'preset', presetId: 'extra-small' } }, status: 400, code: 'preset_not_for_environment' },
    { path: '/api/oauth/unknown/token', data: { environmentId: 'builtin', credential: { kind: 'preset', presetId: 'x' } }, status: 404, code: 'not_found', message: /Unknown provider/ },
    { path: '/api/oauth/BAD..ID/token', data: {}, status: 404, code: 'not_found' },
    { path: '/api/fhir/bcda', data: { path: 'https://evil.example/api/' }, status: 400, code: 'path_not_allowed', message: /absolute URLs/ },
    { path: '/api/fhir/bcda', data: { path: '/api/../auth/token' }, status: 400, code: 'path_not_allowed' },
    { path: '/api/fhir/bcda', data: { path: '/api/v2/metadata', headers: { Cookie: 'x=1' } }, status: 400, code: 'bad_request', message: /Cookie/ },
    { path: '/api/fhir/bcda', data: { path: '/api/v2/metadata', method: 'PATCH' }, status: 400, code: 'validation_failed' },
  ];
  for (const c of cases) {
    const response = await post(request, baseURL!, c.path, c.data);
    const body = await response.json();
    expect(response.status(), `${c.path} ${JSON.stringify(c.data)}`).toBe(c.status);
    expect(body.error.code, `${c.path} ${JSON.stringify(c.data)}`).toBe(c.code);
    if (c.message) expect(body.error.message).toMatch(c.message);
  }
});

test('a FHIR request without a token reaches the sandbox and its 401 OperationOutcome comes back', async ({ request, baseURL }) => {
  const response = await post(request, baseURL!, '/api/fhir/bcda', { environmentId: 'builtin', path: '/api/v2/Patient/$export', headers: { Prefer: 'respond-async' } });
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.status).toBe(401);
  expect(body.json.resourceType).toBe('OperationOutcome');
  expect(body.json.issue[0].diagnostics).toBe('Invalid Token');
});
