import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { doorkeeperDescriptions } from './doorkeeper';
import {
  bearer,
  codeExchange,
  createTestSandbox,
  demoApp,
  expectOAuthError,
  formPost,
  getCode,
  getTokens,
  redirectUri,
  refreshRequest,
  send,
  type TokenBody,
} from './test-helpers';

const invalidGrant = doorkeeperDescriptions.invalid_grant;
const invalidClient = doorkeeperDescriptions.invalid_client;

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

describe('POST /oauth/token, authorization_code', () => {
  it('accepts the client credentials in HTTP Basic too', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    const withBasic = await send(sandbox, '/oauth/token', {
      ...codeExchange(code, { client_id: undefined, client_secret: undefined }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(demoApp.clientId, demoApp.clientSecret) },
    });
    expect(withBasic.status).toBe(200);
  });

  it('takes a JSON body as Rails does', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    const response = await send(sandbox, '/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code,
        client_id: demoApp.clientId,
        client_secret: demoApp.clientSecret,
        redirect_uri: redirectUri,
      }),
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong-secret' }],
    ['an unknown client', { client_id: 'someone-else' }],
    ['no secret', { client_secret: undefined }],
    ['no client at all', { client_id: undefined, client_secret: undefined }],
  ])('answers 401 invalid_client for %s, and the code stays usable', async (_name, overrides) => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange(code, overrides)), 401, 'invalid_client', invalidClient);
    expect((await send(sandbox, '/oauth/token', codeExchange(code))).status).toBe(200);
  });

  it('answers invalid_grant for a redirect_uri other than the one used at authorize, and the code stays usable', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    await expectOAuthError(
      await send(sandbox, '/oauth/token', codeExchange(code, { redirect_uri: 'http://localhost:3000/other/callback' })),
      400,
      'invalid_grant',
      invalidGrant,
    );
    expect((await send(sandbox, '/oauth/token', codeExchange(code))).status).toBe(200);
  });

  it('answers invalid_request when redirect_uri is missing', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    await expectOAuthError(
      await send(sandbox, '/oauth/token', codeExchange(code, { redirect_uri: undefined })),
      400,
      'invalid_request',
      'Missing required parameter: redirect_uri.',
    );
  });

  it('answers invalid_grant for an unknown or missing code', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange('not-a-code')), 400, 'invalid_grant', invalidGrant);
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange('', { code: undefined })), 400, 'invalid_grant');
  });

  it('refuses a reused code with invalid_grant and revokes the tokens issued from it', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    const first = await send(sandbox, '/oauth/token', codeExchange(code));
    const tokens = (await first.json()) as TokenBody;
    expect((await send(sandbox, '/v2/contacts', { headers: bearer(tokens.access_token) })).status).toBe(200);

    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange(code)), 400, 'invalid_grant', invalidGrant);
    const revoked = await send(sandbox, '/v2/contacts', { headers: bearer(tokens.access_token) });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual({ error: { message: 'The access token is invalid.', code: 'invalid_token' } });
    await expectOAuthError(await send(sandbox, '/oauth/token', refreshRequest(tokens.refresh_token)), 400, 'invalid_grant');
  });

  it('lets only one of two parallel exchanges of a code succeed', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    const statuses = await Promise.all([send(sandbox, '/oauth/token', codeExchange(code)), send(sandbox, '/oauth/token', codeExchange(code))]);
    expect(statuses.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('expires codes after 10 minutes', async () => {
    const { sandbox, clock } = createTestSandbox();
    const code = await getCode(sandbox);
    clock.advance(10 * 60 * 1000 - 1);
    const another = await getCode(sandbox);
    expect((await send(sandbox, '/oauth/token', codeExchange(code))).status).toBe(200);
    clock.advance(10 * 60 * 1000);
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange(another)), 400, 'invalid_grant', invalidGrant);
  });
});

describe('PKCE (optional, verified when the client used it)', () => {
  const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

  it('accepts the right S256 verifier', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox, { query: { code_challenge: s256(verifier), code_challenge_method: 'S256' } });
    expect((await send(sandbox, '/oauth/token', codeExchange(code, { code_verifier: verifier }))).status).toBe(200);
  });

  it('answers invalid_grant for a bad verifier, and the right one still works', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox, { query: { code_challenge: s256(verifier), code_challenge_method: 'S256' } });
    await expectOAuthError(
      await send(sandbox, '/oauth/token', codeExchange(code, { code_verifier: `${verifier}x` })),
      400,
      'invalid_grant',
      invalidGrant,
    );
    expect((await send(sandbox, '/oauth/token', codeExchange(code, { code_verifier: verifier }))).status).toBe(200);
  });

  it('answers invalid_request when the verifier is missing', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox, { query: { code_challenge: s256(verifier), code_challenge_method: 'S256' } });
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange(code)), 400, 'invalid_request', 'Missing required parameter: code_verifier.');
  });

  it('supports the plain method', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox, { query: { code_challenge: verifier, code_challenge_method: 'plain' } });
    expect((await send(sandbox, '/oauth/token', codeExchange(code, { code_verifier: verifier }))).status).toBe(200);
  });

  it('refuses a verifier for a code that had no challenge, as Doorkeeper does', async () => {
    const { sandbox } = createTestSandbox();
    const code = await getCode(sandbox);
    await expectOAuthError(await send(sandbox, '/oauth/token', codeExchange(code, { code_verifier: verifier })), 400, 'invalid_grant');
  });
});

describe('POST /oauth/token, refresh_token', () => {
  it('rotates: the new refresh token works, the old one fails, and the old access token is revoked', async () => {
    const { sandbox } = createTestSandbox();
    const first = await getTokens(sandbox);
    const second = (await (await send(sandbox, '/oauth/token', refreshRequest(first.refresh_token))).json()) as TokenBody;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    await expectOAuthError(await send(sandbox, '/oauth/token', refreshRequest(first.refresh_token)), 400, 'invalid_grant', invalidGrant);
    expect((await send(sandbox, '/v2/contacts', { headers: bearer(first.access_token) })).status).toBe(401);
    expect((await send(sandbox, '/v2/contacts', { headers: bearer(second.access_token) })).status).toBe(200);

    const third = await send(sandbox, '/oauth/token', refreshRequest(second.refresh_token));
    expect(third.status).toBe(200);
  });

  it('works after the access token has expired, and the new token is the same agent’s', async () => {
    const { sandbox, clock } = createTestSandbox();
    const first = await getTokens(sandbox);
    const before = await (await send(sandbox, '/v2/contacts', { headers: bearer(first.access_token) })).json();
    clock.advance(2 * 3600 * 1000);
    const second = (await (await send(sandbox, '/oauth/token', refreshRequest(first.refresh_token))).json()) as TokenBody;
    expect(await (await send(sandbox, '/v2/contacts', { headers: bearer(second.access_token) })).json()).toEqual(before);
  });

  it('lets only one of two parallel refreshes succeed', async () => {
    const { sandbox } = createTestSandbox();
    const { refresh_token: refreshToken } = await getTokens(sandbox);
    const responses = await Promise.all([
      send(sandbox, '/oauth/token', refreshRequest(refreshToken)),
      send(sandbox, '/oauth/token', refreshRequest(refreshToken)),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  it('answers invalid_client for a wrong secret, and the refresh token stays usable', async () => {
    const { sandbox } = createTestSandbox();
    const { refresh_token: refreshToken } = await getTokens(sandbox);
    await expectOAuthError(await send(sandbox, '/oauth/token', refreshRequest(refreshToken, { client_secret: 'wrong' })), 401, 'invalid_client');
    expect((await send(sandbox, '/oauth/token', refreshRequest(refreshToken))).status).toBe(200);
  });

  it('answers invalid_grant without client credentials (Doorkeeper’s client match)', async () => {
    const { sandbox } = createTestSandbox();
    const { refresh_token: refreshToken } = await getTokens(sandbox);
    await expectOAuthError(
      await send(sandbox, '/oauth/token', refreshRequest(refreshToken, { client_id: undefined, client_secret: undefined })),
      400,
      'invalid_grant',
    );
  });

  it('answers invalid_request without a refresh token and invalid_grant for an unknown one', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(
      await send(sandbox, '/oauth/token', refreshRequest('', { refresh_token: undefined })),
      400,
      'invalid_request',
      'Missing required parameter: refresh_token.',
    );
    await expectOAuthError(await send(sandbox, '/oauth/token', refreshRequest('nope')), 400, 'invalid_grant');
  });

  it('answers invalid_scope for a scope beyond the original', async () => {
    const { sandbox } = createTestSandbox();
    const { refresh_token: refreshToken } = await getTokens(sandbox);
    await expectOAuthError(
      await send(sandbox, '/oauth/token', refreshRequest(refreshToken, { scope: 'partner_api_v2 admin' })),
      400,
      'invalid_scope',
      'The requested scope is invalid, unknown, or malformed.',
    );
  });
});

describe('POST /oauth/token, other requests', () => {
  it('answers invalid_request without grant_type and unsupported_grant_type for others', async () => {
    const { sandbox } = createTestSandbox();
    await expectOAuthError(await send(sandbox, '/oauth/token', formPost({})), 400, 'invalid_request', 'Missing required parameter: grant_type.');
    for (const grantType of ['client_credentials', 'password', 'implicit']) {
      await expectOAuthError(
        await send(sandbox, '/oauth/token', formPost({ grant_type: grantType, client_id: demoApp.clientId, client_secret: demoApp.clientSecret })),
        400,
        'unsupported_grant_type',
        'The authorization grant type is not supported by the authorization server.',
      );
    }
  });

  it('has no GET route (Rails answers 404)', async () => {
    const { sandbox } = createTestSandbox();
    expect((await send(sandbox, '/oauth/token')).status).toBe(404);
    expect((await send(sandbox, '/oauth/revoke', formPost({}))).status).toBe(404);
  });
});
