// The production server: Next's request handler behind a plain Node HTTP server, for what Next cannot do itself:
// - Next drops the body of a GET before route handlers see it, and some providers' docs send one (1upHealth's
//   `curl -X GET -d …` token request). A GET with a body to a built-in sandbox is passed on as a POST with
//   `X-Original-Method: GET`; the sandbox mount gives it back to the sandbox as the GET it was, body kept only where
//   the emulated server reads it (each sandbox says where: `readsGetBody`).
// - A path with broken percent-encoding makes Next answer a bare 500 before any route or proxy.ts runs: it gets a
//   400 with the usual security headers here instead (SECURITY.md rules 11 and 12).
// - A body announced larger than any route takes is refused from its Content-Length before a byte is read: Next
//   buffers request bodies for proxy.ts, so a route's own cap would only apply once the whole body had arrived.
// - The built-in sandboxes answer with their providers' headers, not Next's: the router's `Vary: rsc,
//   next-router-…` is dropped from `/sandbox/` answers (issue #14), `Vary: Accept-Encoding` kept only on a
//   compressed body, and a sandbox's Content-Encoding (BCDA's gzip files), which Next drops, is put back.
// - Without TRUST_PROXY=1 no proxy is in front, so X-Forwarded-* come from the client: they are dropped before Next
//   builds its request URL from them (rule 13).
// Everything else goes to Next unchanged.
import { createServer } from 'node:http';
import next from 'next';
import { resolveBindAddress } from '../lib/auth/bind-address.mjs';
import { CONTENT_ENCODING_RESTORED_ENV, SANDBOX_CONTENT_ENCODING_HEADER } from '../lib/http/content-encoding.mjs';
import { refusal } from '../lib/http/security-headers.mjs';

const port = Number(process.env.PORT ?? 3000);
const bind = resolveBindAddress(process.env);
if (bind.error) {
  console.error(`\nThe console cannot start: ${bind.error}\n`);
  process.exit(1);
}
const { hostname } = bind;
// This server puts a sandbox's Content-Encoding back (below): the sandbox route may let it through.
process.env[CONTENT_ENCODING_RESTORED_ENV] = '1';
const app = next({ dev: false, hostname, port });
const handle = app.getRequestHandler();

function hasBody(req) {
  const length = Number(req.headers['content-length'] ?? 0);
  return length > 0 || req.headers['transfer-encoding'] !== undefined;
}

/** Whether every %-escape of the path decodes to UTF-8; the query is the routes' to judge. */
function hasValidPercentEncoding(url) {
  const path = url.split('?')[0];
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** Next's own request headers that its router lists in `Vary`; no provider sends them. */
const NEXT_VARY = /^(rsc|next-router-[a-z-]+|next-url)$/i;

/**
 * Just before the head of a sandbox answer goes out (after Next and its compression have set theirs): the sandbox's
 * Content-Encoding back in place, and `Vary` without Next's own tokens.
 */
function asTheProviderSentIt(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (...args) {
    const encoding = res.getHeader(SANDBOX_CONTENT_ENCODING_HEADER);
    if (encoding !== undefined) {
      res.removeHeader(SANDBOX_CONTENT_ENCODING_HEADER);
      res.setHeader('content-encoding', encoding);
    }
    const vary = res.getHeader('vary');
    if (vary !== undefined) {
      const compressed = res.getHeader('content-encoding') !== undefined;
      const kept = String(vary)
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v && !NEXT_VARY.test(v) && (compressed || v.toLowerCase() !== 'accept-encoding'));
      if (kept.length > 0) res.setHeader('vary', kept.join(', '));
      else res.removeHeader('vary');
    }
    return writeHead.apply(this, args);
  };
}

async function send(res, response) {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(await response.text());
}

const trustProxy = process.env.TRUST_PROXY === '1';
/** The largest body any route takes (a FHIR request's 1 MB body in its JSON envelope); next.config.mjs agrees. */
const MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

await app.prepare();
createServer((req, res) => {
  if (!hasValidPercentEncoding(req.url ?? '/')) {
    void send(res, refusal(400, '400 Bad Request: the path has a malformed percent-encoding (RFC 3986 §2.1).'));
    return;
  }
  if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BODY_BYTES) {
    res.shouldKeepAlive = false;
    void send(res, refusal(413, `413 Content Too Large: this console takes request bodies of at most ${MAX_REQUEST_BODY_BYTES / 1024 / 1024} MiB.`));
    return;
  }
  if (!trustProxy) {
    for (const name of Object.keys(req.headers)) if (name.startsWith('x-forwarded-')) delete req.headers[name];
  }
  if (req.url?.startsWith('/sandbox/')) asTheProviderSentIt(res);
  if (req.method === 'GET' && hasBody(req) && req.url?.startsWith('/sandbox/')) {
    req.headers['x-original-method'] = 'GET';
    req.method = 'POST';
  }
  void handle(req, res);
}).listen(port, hostname, () => {
  console.log(`> Ready on http://localhost:${port} (listening on ${hostname})`);
});
