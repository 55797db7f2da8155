import { headerLines } from './header';
import type { FlowRecipe, RequestTemplate, TemplatePart } from './recipe';

/** A TS expression for one part of a request: literals as written, each variable encoded for its place. */
function expression(part: TemplatePart): string {
  if (part.segments.length === 0) return "''";
  return part.segments
    .map((segment) => {
      if ('literal' in segment) return JSON.stringify(segment.literal);
      const value = `v(${JSON.stringify(segment.variable)})`;
      return part.encoding === 'form' ? `encodeURIComponent(${value})` : part.encoding === 'json' ? `JSON.stringify(${value}).slice(1, -1)` : value;
    })
    .join(' + ');
}

function requestExpression(template: RequestTemplate): string {
  const headers = template.headers.map((h) => `[${JSON.stringify(h.name)}, ${expression(h.value)}]`);
  if (template.basicAuth) headers.push(`['Authorization', basic()]`);
  const body = template.body ? expression(template.body) : 'undefined';
  return `{ method: ${JSON.stringify(template.method)}, url: ${expression(template.url)}, headers: [${headers.join(', ')}] as [string, string][], body: ${body} }`;
}

/** Node 20+ TypeScript: `fetch`, `node:http` for the callback listener, `jose` only to sign a client assertion. */
export function toTypeScript(recipe: FlowRecipe): string {
  const header = headerLines(recipe, ['npm install jose   # only needed for a signed client assertion', 'npx tsx flow.ts   (or: npx tsc --target es2022 --module nodenext flow.ts && node flow.js)']);
  const variables = recipe.variables
    .map((variable) => `  ${variable.name}: process.env.${variable.name}${variable.defaultValue ? ` ?? ${JSON.stringify(variable.defaultValue)}` : ''},`)
    .join('\n');
  const out: string[] = [];
  out.push('/*', ...header.map((l) => ` * ${l}`.trimEnd()), ' */', '');
  out.push(`import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const vars: Record<string, string | undefined> = {
${variables}
};

/** A variable's value; stops the program when one it needs is not set. */
function v(name: string): string {
  const value = vars[name];
  if (value === undefined || value === '') fail(\`Set \${name} first (see the comment at the top).\`);
  return value;
}

function fail(message: string): never {
  console.error(\`✗ \${message}\`);
  process.exit(1);
}

/** Tokens are printed as a length and a hash prefix, never themselves. */
function fingerprint(secret: string): string {
  return \`\${secret.length} chars, sha256 \${createHash('sha256').update(secret).digest('hex').slice(0, 12)}\`;
}

function basic(): string {
  // RFC 7617: base64 of "id:secret", as the console sent it.
  return \`Basic \${Buffer.from(\`\${v('CLIENT_ID')}:\${v('CLIENT_SECRET')}\`).toString('base64')}\`;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function send(req: { method: string; url: string; headers: [string, string][]; body?: string }): Promise<Answer> {
  console.log(\`→ \${req.method} \${req.url}\`);
  // WHATWG fetch refuses a body on GET; a provider that documents one (1upHealth's token request) gets node:http.
  if (req.method === 'GET' && req.body) return sendWithNodeHttp(req);
  const response = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual' });
  const answer = { status: response.status, headers: response.headers, text: await response.text() };
  console.log(\`← \${answer.status} (\${answer.text.length} bytes)\`);
  return answer;
}

function sendWithNodeHttp(req: { method: string; url: string; headers: [string, string][]; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const body = Buffer.from(req.body ?? '');
    const client = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = client(url, { method: req.method, headers: [...req.headers, ['Content-Length', String(body.length)]].flat() }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === 'string') headers.set(name, value);
        const text = Buffer.concat(chunks).toString('utf8');
        console.log(\`← \${incoming.statusCode ?? 0} (\${text.length} bytes)\`);
        resolve({ status: incoming.statusCode ?? 0, headers, text });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function json(answer: Answer, what: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(answer.text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  return fail(\`\${what} is not a JSON object (HTTP \${answer.status}): \${answer.text.slice(0, 300)}\`);
}

/** Reads a token response (RFC 6749 §5.1) leniently, as the console does: a string expires_in is a number of seconds. */
function readToken(answer: Answer, what: string): void {
  if (answer.status < 200 || answer.status >= 300) fail(\`\${what} refused (HTTP \${answer.status}): \${answer.text.slice(0, 300)}\`);
  const body = json(answer, what);
  if (typeof body.access_token !== 'string') fail(\`\${what}: no access_token in the answer.\`);
  vars.ACCESS_TOKEN = body.access_token;
  if (typeof body.refresh_token === 'string') {
    if (vars.REFRESH_TOKEN && vars.REFRESH_TOKEN !== body.refresh_token) console.log('  the server rotated the refresh token: the new one replaces the old (RFC 9700 §4.14.2)');
    vars.REFRESH_TOKEN = body.refresh_token;
  }
  const expiresIn = Number(body.expires_in);
  console.log(\`  access token: \${fingerprint(body.access_token)}, token_type \${String(body.token_type)}\${Number.isFinite(expiresIn) ? \`, expires in \${expiresIn} s\` : ''}\${typeof body.expires_in === 'string' ? ' (expires_in sent as a string)' : ''}\`);
}

/** The token goes as "Bearer" whatever case token_type came in (RFC 6750 §2.1; some servers refuse "bearer"). */
function bearer(): [string, string] {
  return ['Authorization', \`Bearer \${v('ACCESS_TOKEN')}\`];
}
`);

  if (recipe.assertion) {
    out.push(`/** A fresh client assertion for each token request (RFC 7523 §3; SMART Backend Services): new jti, 5-minute exp. */
async function signAssertion(): Promise<void> {
  const { SignJWT, importPKCS8 } = await import('jose');
  const { readFile } = await import('node:fs/promises');
  const key = await importPKCS8(await readFile(v('PRIVATE_KEY_FILE'), 'utf8'), ${JSON.stringify(recipe.assertion.alg)});
  vars.CLIENT_ASSERTION = await new SignJWT({})
    .setProtectedHeader({ alg: ${JSON.stringify(recipe.assertion.alg)}, typ: 'JWT'${recipe.assertion.kid ? `, kid: ${JSON.stringify(recipe.assertion.kid)}` : ''} })
    .setIssuer(v('CLIENT_ID'))
    .setSubject(v('CLIENT_ID'))
    .setAudience(${JSON.stringify(recipe.assertion.audience)})
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}
`);
  }

  if (recipe.authorize) {
    out.push(`/** Waits for the authorization server to send the browser back to REDIRECT_URI; answers the browser, returns the query. */
function awaitCallback(): Promise<URLSearchParams> {
  const redirect = new URL(v('REDIRECT_URI'));
  return new Promise((resolve, reject) => {
    const server = createServer((incoming, outgoing) => {
      const url = new URL(incoming.url ?? '/', redirect);
      if (url.pathname !== redirect.pathname) {
        outgoing.writeHead(404).end();
        return;
      }
      outgoing.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      outgoing.end('Back in the terminal: you can close this tab.\\n');
      server.close();
      resolve(url.searchParams);
    });
    server.on('error', reject);
    server.listen(Number(redirect.port || 80), redirect.hostname);
  });
}

async function authorize(): Promise<void> {
  vars.STATE = randomBytes(24).toString('base64url');
  vars.NONCE = randomBytes(24).toString('base64url');
  // RFC 7636 §4.1–4.2: a fresh verifier, sent only to the token endpoint; its S256 challenge goes in the URL.
  vars.CODE_VERIFIER = randomBytes(48).toString('base64url');
  vars.CODE_CHALLENGE = createHash('sha256').update(vars.CODE_VERIFIER).digest('base64url');
  const callback = awaitCallback();
  console.log('Open this URL in a browser and log in:');
  console.log(${expression(recipe.authorize.url)});
  const query = await callback;
  if (query.get('state') !== vars.STATE) fail('The callback’s state is not the one sent: refused (RFC 6749 §10.12).');
  const error = query.get('error');
  if (error) fail(\`The authorization server answered \${error}: \${query.get('error_description') ?? ''}\`);
  const code = query.get('code');
  if (!code) fail('The callback carries no code.');
  vars.CODE = code;
  console.log('← callback with a code, state checked');
}
`);
  }

  out.push(`async function main(): Promise<void> {`);
  if (recipe.authorize) out.push('  await authorize();');
  if (recipe.assertion) out.push('  await signAssertion();');
  out.push(`  readToken(await send(${requestExpression(recipe.token)}), 'The token request');`);
  if (recipe.firstCall) {
    const headers = recipe.firstCall.headers.map(([n, h]) => `[${JSON.stringify(n)}, ${JSON.stringify(h)}]`);
    out.push(`
  const first = await send({ method: ${JSON.stringify(recipe.firstCall.method)}, url: ${JSON.stringify(recipe.firstCall.url)}, headers: [${[...headers, 'bearer()'].join(', ')}] as [string, string][] });
  if (first.status < 200 || first.status >= 300) fail(\`The first call answered \${first.status}: \${first.text.slice(0, 300)}\`);
  const answer = json(first, 'The first call');
  console.log(\`  \${String(answer.resourceType ?? Object.keys(answer).slice(0, 5).join(', '))}\${Array.isArray(answer.entry) ? \`, \${answer.entry.length} entries\` : ''}\`);`);
  }
  if (recipe.bulk) {
    const headers = recipe.bulk.headers.map(([n, h]) => `[${JSON.stringify(n)}, ${JSON.stringify(h)}]`);
    out.push(`
  // Bulk Data IG 2.0: kick-off (202 + Content-Location), status polls until the manifest, then each file.
  const kickoff = await send({ method: 'GET', url: ${JSON.stringify(recipe.bulk.kickoffUrl)}, headers: [${[...headers, 'bearer()'].join(', ')}] as [string, string][] });
  const statusUrl = kickoff.headers.get('content-location');
  if (kickoff.status !== 202 || !statusUrl) fail(\`The kick-off answered \${kickoff.status}, not 202 with Content-Location: \${kickoff.text.slice(0, 300)}\`);
  let manifest: Record<string, unknown> | null = null;
  for (let poll = 0; poll < 120 && !manifest; poll++) {
    const status = await send({ method: 'GET', url: statusUrl, headers: [bearer(), ['Accept', 'application/json']] });
    if (status.status === 200) manifest = json(status, 'The manifest');
    else if (status.status === 202 || status.status === 429) {
      const retryAfter = status.headers.get('retry-after');
      const seconds = retryAfter === null ? 2 : /^\\d+$/.test(retryAfter) ? Number(retryAfter) : Math.max(0, (Date.parse(retryAfter) - Date.now()) / 1000);
      const wait = Math.min(Math.max(seconds, 1), 30);
      console.log(\`  \${status.headers.get('x-progress') ?? 'in progress'}; asking again in \${wait} s\`);
      await new Promise((done) => setTimeout(done, wait * 1000));
    } else fail(\`The status request answered \${status.status}: \${status.text.slice(0, 300)}\`);
  }
  if (!manifest) fail('The export did not finish in 120 polls.');
  const files = Array.isArray(manifest.output) ? (manifest.output as { type?: string; url?: string }[]) : [];
  console.log(\`  manifest: \${files.length} file(s), requiresAccessToken \${String(manifest.requiresAccessToken)}\`);
  for (const file of files) {
    if (!file.url) continue;
    const download = await send({ method: 'GET', url: file.url, headers: manifest.requiresAccessToken === false ? [['Accept', 'application/fhir+ndjson']] : [bearer(), ['Accept', 'application/fhir+ndjson']] });
    if (download.status !== 200) fail(\`Downloading \${file.url} answered \${download.status}\`);
    console.log(\`  \${file.type ?? 'file'}: \${download.text.split('\\n').filter((line) => line.trim() !== '').length} resources\`);
  }`);
  }
  if (recipe.refresh) {
    out.push(`
  if (vars.REFRESH_TOKEN) {${recipe.assertion ? '\n    await signAssertion();' : ''}
    readToken(await send(${requestExpression(recipe.refresh)}), 'The refresh');
  } else console.log('No refresh token was issued: nothing to refresh.');`);
  }
  out.push(`  console.log('✓ done');
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
`);
  return out.join('\n');
}
