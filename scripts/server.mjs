// The production server: Next's request handler behind a plain Node HTTP server, for one reason — Next drops the
// body of a GET before route handlers see it, and 1upHealth's docs send the token request as `curl -X GET -d …`.
// Such a request to a built-in Keycloak token endpoint is passed on as the POST Keycloak would need, with
// `X-Original-Method: GET` so the sandbox can say what it received. Everything else goes to Next unchanged.
import { createServer } from 'node:http';
import next from 'next';
import { resolveBindAddress } from '../lib/auth/bind-address.mjs';

const KEYCLOAK_TOKEN_PATH = /^\/sandbox\/1uphealth\/auth\/realms\/[^/]+\/protocol\/openid-connect\/token(?:\?|$)/;

const port = Number(process.env.PORT ?? 3000);
const bind = resolveBindAddress(process.env);
if (bind.error) {
  console.error(`\nThe console cannot start: ${bind.error}\n`);
  process.exit(1);
}
const { hostname } = bind;
const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();

function hasBody(req) {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

await app.prepare();
createServer((req, res) => {
  if (req.method === 'GET' && hasBody(req) && KEYCLOAK_TOKEN_PATH.test(req.url ?? '')) {
    req.headers['x-original-method'] = 'GET';
    req.method = 'POST';
  }
  void handle(req, res);
}).listen(port, hostname, () => {
  console.log(`> Ready on http://localhost:${port} (listening on ${hostname})`);
});
