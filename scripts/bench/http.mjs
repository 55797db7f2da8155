// A small HTTP/1.1 client for the bench: keep-alive agents, a cookie per simulated user, bodies either kept (small
// JSON answers) or only counted (bulk files). node:http rather than fetch, so the client's own cost is small and
// the same for the direct and the BFF side.
import http from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';

/** What Node's fetch (the BFF's outbound client) and browsers send; both sides of every measure send it too. */
export const ACCEPT_ENCODING = 'gzip, deflate';

/** A keep-alive agent; one per side so neither waits for the other's sockets. */
export function createAgent(maxSockets) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
}

/**
 * Sends one request, as a browser would with `Accept-Encoding`, and decodes a compressed answer. `consume: 'keep'`
 * collects the body (for JSON), `consume: 'count'` drops each chunk after counting it. Resolves with status,
 * headers, the body (when kept), decoded bytes and milliseconds from send to last byte.
 */
export async function send(url, options = {}) {
  // A kept-alive socket the server closed while it sat idle: the request never reached the server, so it is sent
  // again (the race Node's docs describe for `reusedSocket`). After a quiet phase every idle socket of the agent may
  // be such a one, hence up to one try per socket.
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce(url, options);
    } catch (error) {
      if (!(error?.reusedSocket && error.code === 'ECONNRESET') || attempt >= 64) throw error;
    }
  }
}

function sendOnce(url, { method = 'GET', headers = {}, body, agent, consume = 'keep', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const payload = body === undefined ? undefined : Buffer.from(body);
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: { 'Accept-Encoding': ACCEPT_ENCODING, ...headers, ...(payload ? { 'Content-Length': String(payload.length) } : {}) },
      },
      (res) => {
        const chunks = [];
        let bytes = 0;
        const encoding = res.headers['content-encoding'];
        const decoded = encoding === 'gzip' ? res.pipe(createGunzip()) : encoding === 'deflate' ? res.pipe(createInflate()) : res;
        const fail = (error) => {
          error.message = `${method} ${url}: ${error.message} after ${bytes} bytes`;
          reject(error);
        };
        if (decoded !== res) decoded.on('error', fail);
        decoded.on('data', (chunk) => {
          bytes += chunk.length;
          if (consume === 'keep') chunks.push(chunk);
        });
        decoded.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: consume === 'keep' ? Buffer.concat(chunks) : null,
            bytes,
            encoding: encoding ?? null,
            ms: performance.now() - started,
          });
        });
        res.on('error', fail);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => {
      error.message = `${method} ${url}: ${error.message}`;
      reject(Object.assign(error, { reusedSocket: req.reusedSocket }));
    });
    req.end(payload);
  });
}

/** Parses a kept JSON body, with the status and a short excerpt in the error when it is not what was expected. */
export function json(result, what) {
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch {
    throw new Error(`${what}: HTTP ${result.status}, not JSON: ${result.body.toString('utf8').slice(0, 200)}`);
  }
}

/**
 * One simulated console user: the session cookie the BFF set on its first answer, the CSRF header and the
 * Origin the BFF expects on every state-changing call.
 */
export function createBffUser(origin, agent) {
  let cookie = null;
  return {
    async post(path, payload, consume = 'keep', extraHeaders = {}) {
      const headers = {
        'Content-Type': 'application/json',
        'x-console-request': '1',
        Origin: origin,
        ...(cookie ? { Cookie: cookie } : {}),
        ...extraHeaders,
      };
      const result = await send(`${origin}${path}`, { method: 'POST', headers, body: JSON.stringify(payload), agent, consume });
      const setCookie = result.headers['set-cookie'];
      if (setCookie && setCookie.length > 0) cookie = setCookie.map((c) => c.split(';')[0]).join('; ');
      return result;
    },
  };
}
