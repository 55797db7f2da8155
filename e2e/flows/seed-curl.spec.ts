import { execFileSync } from 'node:child_process';
import { expect, test } from '../support/test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { candid } from '../../lib/providers/candid';
import { oneuphealth } from '../../lib/providers/oneuphealth';

const clientId = '2462c96b-6427-4efb-aed7-118e20c2e997';
const clientSecret = '825598c105bd1fe021c9eb9d41b30e82beb7a505a1184282e69891f76aa0a396dc9d20f35c9df4a5';

test("the BCDA seed's curl command works unchanged against the built-in sandbox", async ({ baseURL, request }) => {
  const url = `${baseURL}/sandbox/bcda/auth/token`;
  const body = curl(['-d', '', '-X', 'POST', url, '--user', `${clientId}:${clientSecret}`, '-H', 'Accept: application/json']);
  expect(body).toMatch(/^\{"access_token": "eyJ[^"]+", "expires_in": "1200", "token_type":"bearer"\}$/);
  const token = (JSON.parse(body) as { access_token: string }).access_token;
  expect(decodeProtectedHeader(token).alg).toBe('RS512');
  const claims = decodeJwt(token);
  expect(claims).toMatchObject({ iss: 'ssas', cid: clientId, use: 'AccessToken', dat: '{"cms_ids":["SBXBD001"]}' });
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1200);

  const welcome = await request.get(`${baseURL}/sandbox/bcda/auth/welcome`, { headers: { Authorization: `Bearer ${token}` } });
  expect(welcome.status()).toBe(200);
});

/** Runs curl with the given arguments: the seeds' commands, host replaced (`npm test` makes sure curl is there). */
function curl(args: string[]): string {
  return execFileSync('curl', ['-s', ...args], { encoding: 'utf8' });
}

test("Candid's documented token requests, JSON and form, work against the built-in sandbox", async ({ baseURL }) => {
  const { clientId, clientSecret } = candid.presets[0]!;
  const url = `${baseURL}/sandbox/candid/api/auth/v2/token`;
  const json = JSON.parse(curl(['-X', 'POST', url, '-H', 'Content-Type: application/json', '-d', JSON.stringify({ client_id: clientId, client_secret: clientSecret })]));
  expect(json).toMatchObject({ expires_in: 18000, token_type: 'Bearer' });
  const form = JSON.parse(curl(['-X', 'POST', url, '-H', 'Content-Type: application/x-www-form-urlencoded', '-d', `client_id=${clientId}&client_secret=${clientSecret}`]));
  expect(decodeJwt(form.access_token).sub).toBe(`${clientId}@clients`);
});

test("1upHealth's seed curl, a GET with a form body, works against the built-in Keycloak", async ({ baseURL }) => {
  const { clientId, clientSecret } = oneuphealth.presets[0]!;
  const body = JSON.parse(
    curl([
      '-X', 'GET', `${baseURL}/sandbox/1uphealth/auth/realms/dev-portal/protocol/openid-connect/token`,
      '-H', 'Content-Type: application/x-www-form-urlencoded',
      '-d', `client_id=${clientId}`, '-d', `client_secret=${clientSecret}`, '-d', 'grant_type=client_credentials', '-d', 'scope=bulk-data|user/*.rs',
    ]),
  );
  expect(body.token_type).toBe('Bearer');
  expect(decodeJwt(body.access_token)).toMatchObject({ azp: clientId, preferred_username: `service-account-${clientId}` });
});
