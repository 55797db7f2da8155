import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';

const clientId = '2462c96b-6427-4efb-aed7-118e20c2e997';
const clientSecret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test("the seed's curl command works unchanged against the built-in sandbox", async ({ baseURL, request }) => {
  const url = `${baseURL}/sandbox/bcda/auth/token`;
  let body: string;
  if (hasCurl()) {
    // Exactly the seed's command, host replaced.
    body = execFileSync('curl', ['-s', '-d', '', '-X', 'POST', url, '--user', `${clientId}:${clientSecret}`, '-H', 'Accept: application/json'], {
      encoding: 'utf8',
    });
  } else {
    const response = await request.post(url, {
      headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      data: '',
    });
    body = await response.text();
  }
  expect(body).toMatch(/^\{"access_token": "eyJ[^"]+", "expires_in": "1200", "token_type":"bearer"\}$/);
  const token = (JSON.parse(body) as { access_token: string }).access_token;
  expect(decodeProtectedHeader(token).alg).toBe('RS512');
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ iss: 'ssas', cid: clientId, use: 'AccessToken', dat: '{"cms_ids":["SBXBD001"]}' });
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1200);

  const welcome = await request.get(`${baseURL}/sandbox/bcda/auth/welcome`, { headers: { Authorization: `Bearer ${token}` } });
  expect(welcome.status()).toBe(200);
});
