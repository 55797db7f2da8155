import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordIssuedSecrets } from './issued-secrets';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('recordIssuedSecrets', () => {
  it('appends the tokens of a JSON answer and the code of a redirect when the env var names a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'issued-')), 'issued.txt');
    const env = { SANDBOX_ISSUED_SECRETS_FILE: file };
    const json = Response.json({ access_token: 'access-1234567890', refresh_token: 'refresh-1234567890', id_token: 'id-1234567890', token_type: 'Bearer' });
    const passed = recordIssuedSecrets(json, env);
    expect(await passed.json()).toMatchObject({ access_token: 'access-1234567890' });
    recordIssuedSecrets(new Response(null, { status: 302, headers: { Location: 'http://localhost/cb?code=code-abcdefgh&state=s' } }), env);
    await settle();
    expect(readFileSync(file, 'utf8').trim().split('\n').sort()).toEqual(['access_token access-1234567890', 'code code-abcdefgh', 'id_token id-1234567890', 'refresh_token refresh-1234567890']);
  });

  it('records nothing and leaves the answer alone by default', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'issued-')), 'issued.txt');
    const response = Response.json({ access_token: 'access-1234567890' });
    expect(recordIssuedSecrets(response, {})).toBe(response);
    await settle();
    expect(existsSync(file)).toBe(false);
  });
});
