import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeExchange, makeProvider, makeToken, SECRET_MARK, SECRET_MARK_ENCODED } from '@/lib/client/timeline/test-fixtures';
import type { ExchangeDto, ProviderDto, TokenDto } from '@/lib/contract/schemas';
import { FlowRecipeError, generateProgram, type ProgramLanguage } from './generate';
import { buildFlowRecipe } from './recipe';

const LANGUAGES: ProgramLanguage[] = ['typescript', 'python', 'shell'];
const ORIGIN = 'http://localhost:3100';

function bcdaInput(overrides: { exchanges?: ExchangeDto[]; token?: Partial<TokenDto> } = {}) {
  const provider = makeProvider({
    environments: [{ id: 'builtin', kind: 'builtin', label: 'Built-in sandbox', tokenUrl: 'http://127.0.0.1:3100/sandbox/bcda/auth/token', fhirBaseUrl: 'http://127.0.0.1:3100/sandbox/bcda/api/v2', allowedPathPrefixes: ['/api/', '/data/'] }],
    defaultRequests: [
      { id: 'metadata', label: 'Metadata', group: 'discovery', method: 'GET', path: '/api/v2/metadata', headers: { Accept: 'application/fhir+json' }, description: '', bulkExport: false },
      { id: 'export', label: 'Export', group: 'bulk', method: 'GET', path: '/api/v2/Patient/$export', headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, description: '', bulkExport: true },
    ],
  });
  const exchange = makeExchange({ url: 'http://127.0.0.1:3100/sandbox/bcda/auth/token' });
  return { provider, environment: provider.environments[0]!, token: makeToken(overrides.token), exchanges: overrides.exchanges ?? [exchange], consoleOrigin: ORIGIN };
}

describe('buildFlowRecipe', () => {
  it('reads the token request as the console sent it: BCDA’s Basic and empty body, on the origin the browser uses, with the quirk named', () => {
    const recipe = buildFlowRecipe(bcdaInput());
    expect(recipe.token).toMatchObject({ method: 'POST', basicAuth: true, body: { segments: [] } });
    expect(recipe.token.url.segments).toEqual([{ literal: `${ORIGIN}/sandbox/bcda/auth/token` }]);
    expect(recipe.token.headers.map((h) => h.name)).toEqual(['accept']);
    expect(recipe.bulk?.kickoffUrl).toBe(`${ORIGIN}/sandbox/bcda/api/v2/Patient/$export`);
    expect(recipe.firstCall?.url).toBe(`${ORIGIN}/sandbox/bcda/api/v2/metadata`);
    expect(recipe.quirks).toEqual(['expires_in is the string "1200"']);
    expect(recipe.variables.map((v) => [v.name, v.defaultValue ?? null])).toEqual([
      ['CLIENT_ID', '2462c96b-6427-4efb-aed7-118e20c2e997'],
      ['CLIENT_SECRET', null],
    ]);
  });

  it('turns every redacted value into a variable and derives the refresh from the code exchange', () => {
    const authorize = makeExchange({ id: 'a', kind: 'authorize', method: 'GET', url: 'http://localhost:3100/sandbox/smart/auth/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A3100%2Fapi%2Foauth%2Fsmart%2Fcallback&scope=openid&state=s1&code_challenge=c1&code_challenge_method=S256&aud=http%3A%2F%2Flocalhost%3A3100%2Fsandbox%2Fsmart%2Ffhir', status: null, response: null, request: { headers: [], body: null } });
    const code = makeExchange({ id: 't', request: { headers: [['content-type', 'application/x-www-form-urlencoded']], body: `grant_type=authorization_code&code=${SECRET_MARK_ENCODED}&redirect_uri=http%3A%2F%2Flocalhost%3A3100%2Fapi%2Foauth%2Fsmart%2Fcallback&code_verifier=${SECRET_MARK_ENCODED}&client_id=app&client_secret=${SECRET_MARK_ENCODED}` } });
    const input = bcdaInput({ exchanges: [authorize, code], token: { grantType: 'authorization_code', exchangeId: 't', refresh: { fingerprint: { hmacPrefix: 'x', length: 9 }, rotates: true, history: [] } } });
    const recipe = buildFlowRecipe(input);
    const text = (part: { segments: ({ literal: string } | { variable: string })[] }) => part.segments.map((s) => ('literal' in s ? s.literal : `{${s.variable}}`)).join('');
    expect(text(recipe.authorize!.url)).toBe(`${ORIGIN}/sandbox/smart/auth/authorize?response_type=code&client_id=app&redirect_uri={REDIRECT_URI}&scope=openid&state={STATE}&code_challenge={CODE_CHALLENGE}&code_challenge_method=S256&aud=http%3A%2F%2Flocalhost%3A3100%2Fsandbox%2Fsmart%2Ffhir`);
    expect(text(recipe.token.body!)).toBe('grant_type=authorization_code&code={CODE}&redirect_uri={REDIRECT_URI}&code_verifier={CODE_VERIFIER}&client_id=app&client_secret={CLIENT_SECRET}');
    expect(text(recipe.refresh!.body!)).toBe('grant_type=refresh_token&refresh_token={REFRESH_TOKEN}&client_id=app&client_secret={CLIENT_SECRET}');
    expect(recipe.variables.map((v) => v.name)).toEqual(['CLIENT_ID', 'REDIRECT_URI', 'CLIENT_SECRET']);
    expect(recipe.variables.find((v) => v.name === 'REDIRECT_URI')?.defaultValue).toBe('http://127.0.0.1:8765/callback');
  });

  it('sends a pushed authorization request (RFC 9126) by value: the pushed parameters in the URL, without the client’s authentication, aud on the program’s origin', () => {
    const pushed = makeExchange({
      id: 'p', kind: 'par', url: 'http://127.0.0.1:3100/sandbox/smart/auth/par', status: 201,
      request: { headers: [['Authorization', 'Basic [redacted]']], body: `response_type=code&client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A3100%2Fapi%2Foauth%2Fsmart%2Fcallback&scope=openid&state=${SECRET_MARK_ENCODED}&code_challenge=c1&code_challenge_method=S256&aud=http%3A%2F%2F127.0.0.1%3A3100%2Fsandbox%2Fsmart%2Ffhir&client_secret=${SECRET_MARK_ENCODED}` },
    });
    const authorize = makeExchange({ id: 'a', kind: 'authorize', method: 'GET', url: 'http://localhost:3100/sandbox/smart/auth/authorize?client_id=app&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Aabc', status: null, response: null, request: { headers: [], body: null } });
    const code = makeExchange({ id: 't', request: { headers: [['content-type', 'application/x-www-form-urlencoded']], body: `grant_type=authorization_code&code=${SECRET_MARK_ENCODED}&code_verifier=${SECRET_MARK_ENCODED}` } });
    const recipe = buildFlowRecipe(bcdaInput({ exchanges: [pushed, authorize, code], token: { grantType: 'authorization_code', exchangeId: 't' } }));
    const url = recipe.authorize!.url.segments.map((s) => ('literal' in s ? s.literal : `{${s.variable}}`)).join('');
    expect(url).toBe(`${ORIGIN}/sandbox/smart/auth/authorize?response_type=code&client_id=app&redirect_uri={REDIRECT_URI}&scope=openid&state={STATE}&code_challenge={CODE_CHALLENGE}&code_challenge_method=S256&aud=http%3A%2F%2Flocalhost%3A3100%2Fsandbox%2Fsmart%2Ffhir`);
    expect(recipe.authorize!.pkce).toBe(true);
  });

  it('refuses a DPoP flow with words: the programs do not sign DPoP proofs', () => {
    expect(() => buildFlowRecipe(bcdaInput({ token: { dpop: { alg: 'ES256', jkt: 'k', tokenJkt: null } } }))).toThrow(/DPoP-bound/);
  });

  it('says what to do when the session no longer holds the flow’s token request', () => {
    expect(() => buildFlowRecipe(bcdaInput({ exchanges: [] }))).toThrow(FlowRecipeError);
    expect(() => buildFlowRecipe(bcdaInput({ exchanges: [makeExchange({ status: 401 })] }))).toThrow(/Get a new token/);
  });
});

describe('generateProgram', () => {
  it.each(LANGUAGES)('%s: names every variable it reads, handles the quirks, and holds no redaction mark, secret or token', (language) => {
    const { text } = generateProgram(language, bcdaInput());
    expect(text).toContain('CLIENT_SECRET: the client secret (required)');
    expect(text).toContain('Provider quirk handled: expires_in is the string "1200"');
    expect(text).toContain('2462c96b-6427-4efb-aed7-118e20c2e997');
    expect(text).toContain('Retry-After');
    expect(text).toContain('Bearer');
    expect(text).not.toMatch(/redacted|hmac:/);
    expect(text).not.toContain(SECRET_MARK);
  });
});

/**
 * A private_key_jwt flow run for real, in each language: a loopback token endpoint checks each assertion's
 * signature with the public key and its claims (RFC 7523 §3), then a FHIR endpoint answers the token.
 */
describe('private_key_jwt programs, run', () => {
  let server: Server;
  let origin = '';
  const seen: { alg: string; kid: unknown; iss: unknown; sub: unknown; aud: unknown; exp: number; iat: number; jti: unknown }[] = [];
  let publicKey: Awaited<ReturnType<typeof importSPKI>> | undefined;
  let expectedAlg = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        void (async () => {
          if (request.url === '/token') {
            const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
            try {
              const { payload, protectedHeader } = await jwtVerify(form.get('client_assertion') ?? '', publicKey!, { algorithms: [expectedAlg], audience: `${origin}/token` });
              seen.push({ alg: protectedHeader.alg, kid: protectedHeader.kid, iss: payload.iss, sub: payload.sub, aud: payload.aud, exp: payload.exp!, iat: payload.iat!, jti: payload.jti });
              response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: `at-${'x'.repeat(40)}`, token_type: 'Bearer', expires_in: 300, scope: form.get('scope') }));
            } catch (error) {
              response.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_client', error_description: String(error) }));
            }
          } else if (request.url === '/fhir/Patient' && request.headers.authorization === `Bearer at-${'x'.repeat(40)}`) {
            response.writeHead(200, { 'Content-Type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Bundle', entry: [{}, {}] }));
          } else response.writeHead(404).end();
        })();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const dir = mkdtempSync(join(tmpdir(), 'flow-code-'));
  const run = promisify(execFile);

  for (const alg of ['ES384', 'RS384'] as const) {
    it(`${alg}: the TypeScript, Python and shell programs each sign a fresh assertion the server accepts, then read FHIR`, async () => {
      expectedAlg = alg;
      const keys = await generateKeyPair(alg, { extractable: true });
      publicKey = await importSPKI(await exportSPKI(keys.publicKey), alg);
      const keyFile = join(dir, `${alg}.pem`);
      writeFileSync(keyFile, await exportPKCS8(keys.privateKey));
      const provider: ProviderDto = makeProvider({
        id: 'custom-1',
        environments: [{ id: 'sandbox', kind: 'sandbox', label: 'Sandbox', tokenUrl: `${origin}/token`, fhirBaseUrl: `${origin}/fhir`, allowedPathPrefixes: ['/fhir'] }],
        defaultRequests: [{ id: 'p', label: 'Patients', group: 'data', method: 'GET', path: '/fhir/Patient', headers: { Accept: 'application/fhir+json' }, description: '', bulkExport: false }],
      });
      const exchange = makeExchange({
        id: 'pk',
        providerId: 'custom-1',
        environmentId: 'sandbox',
        url: `${origin}/token`,
        request: { headers: [['content-type', 'application/x-www-form-urlencoded']], body: `grant_type=client_credentials&scope=system%2FPatient.rs&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=${SECRET_MARK_ENCODED}` },
      });
      const token = makeToken({ providerId: 'custom-1', environmentId: 'sandbox', clientId: 'backend-app', exchangeId: 'pk', deviations: [], clientAssertion: { header: { alg, kid: 'key-1' }, claims: { aud: `${origin}/token` } } });
      const input = { provider, environment: provider.environments[0]!, token, exchanges: [exchange], consoleOrigin: ORIGIN };

      for (const language of LANGUAGES) {
        const { text } = generateProgram(language, input);
        expect(text).toContain('PRIVATE_KEY_FILE');
        const before = seen.length;
        let command: [string, string];
        if (language === 'typescript') {
          // In the repository, so `import('jose')` resolves from its node_modules.
          mkdirSync(join(process.cwd(), 'test-results'), { recursive: true });
          const file = join(process.cwd(), 'test-results', `flow-${alg}.mjs`);
          writeFileSync(file, ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
          command = [process.execPath, file];
        } else {
          const file = join(dir, `flow-${alg}.${language === 'python' ? 'py' : 'sh'}`);
          writeFileSync(file, text);
          command = [language === 'python' ? 'python3' : 'bash', file];
        }
        const { stdout } = await run(command[0], [command[1]], { env: { PATH: process.env.PATH, PRIVATE_KEY_FILE: keyFile } as unknown as NodeJS.ProcessEnv });
        expect(stdout, `${language}`).toContain('✓ done');
        expect(stdout).toContain('Bundle, 2 entries');
        expect(stdout).not.toContain('x'.repeat(40));
        expect(seen.length, `${language} sent one assertion`).toBe(before + 1);
        const claims = seen.at(-1)!;
        expect(claims).toMatchObject({ alg, kid: 'key-1', iss: 'backend-app', sub: 'backend-app', aud: `${origin}/token` });
        expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
        expect(typeof claims.jti).toBe('string');
      }
      expect(new Set(seen.map((s) => s.jti)).size).toBe(seen.length);
    }, 30_000);
  }
});
