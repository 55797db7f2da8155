import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverServer, parseDiscoveryDocument } from './discovery';

let server: Server;
let base: string;
const hits: string[] = [];

function smartDoc(prefix: string, extra: Record<string, unknown> = {}) {
  return {
    issuer: `${base}${prefix}`,
    authorization_endpoint: `${base}${prefix}/authorize`,
    token_endpoint: `${base}${prefix}/token`,
    jwks_uri: `${base}${prefix}/jwks`,
    grant_types_supported: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'fhirUser', 'launch/patient', 'patient/*.rs', 'system/*.rs', 'offline_access'],
    capabilities: ['launch-standalone', 'client-confidential-asymmetric', 'permission-v2', 'context-standalone-patient'],
    ...extra,
  };
}

function oidcDoc(prefix: string, extra: Record<string, unknown> = {}) {
  return {
    issuer: `${base}${prefix}`,
    authorization_endpoint: `${base}${prefix}/authorize`,
    token_endpoint: `${base}${prefix}/token`,
    jwks_uri: `${base}${prefix}/jwks`,
    response_types_supported: ['code'],
    ...extra,
  };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (path) {
      case '/good/.well-known/smart-configuration':
        return json(smartDoc('/good'));
      case '/good/.well-known/openid-configuration':
        return json(oidcDoc('/good'));
      case '/partial/.well-known/smart-configuration':
        return json({ token_endpoint: `${base}/partial/token`, grant_types_supported: 'client_credentials', capabilities: [1, 2] });
      case '/malformed/.well-known/smart-configuration':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"token_endpoint": ');
      case '/malformed/.well-known/openid-configuration':
        return json(['not', 'an', 'object']);
      case '/contra/.well-known/smart-configuration':
        return json(smartDoc('/contra', { token_endpoint: `${base}/contra/smart-token`, code_challenge_methods_supported: ['S256'] }));
      case '/contra/.well-known/openid-configuration':
        return json(oidcDoc('/contra', { issuer: 'https://evil.example', code_challenge_methods_supported: ['plain', 'S256'] }));
      case '/redirect/.well-known/smart-configuration':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
        return res.end();
      case '/slow/.well-known/smart-configuration':
      case '/slow/.well-known/openid-configuration':
        return void setTimeout(() => json(smartDoc('/slow')), 1500);
      case '/endpoints/.well-known/smart-configuration':
        return json(
          smartDoc('/endpoints', {
            token_endpoint: 'https://10.1.2.3/token',
            authorization_endpoint: 'https://auth.example.org/authorize',
            revocation_endpoint: 'http://auth.example.org/revoke',
            introspection_endpoint: 'https://user:pw@auth.example.org/introspect',
          }),
        );
      case '/split/.well-known/smart-configuration':
        return json(smartDoc('/split', { issuer: `${base}/split-issuer` }));
      case '/split-issuer/.well-known/openid-configuration':
        return json(oidcDoc('/split-issuer', { userinfo_endpoint: `${base}/split-issuer/userinfo` }));
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const opts = { allowLoopback: true, timeoutMs: 2000 };

describe('discoverServer', () => {
  it('merges a good SMART and OIDC pair with no errors and records sources', async () => {
    const r = await discoverServer(`${base}/good/`, opts);
    expect(r.ok).toBe(true);
    expect(r.base).toBe(`${base}/good`);
    expect(r.documents.map((d) => d.status)).toEqual(['ok', 'ok']);
    expect(r.server?.token_endpoint).toBe(`${base}/good/token`);
    expect(r.server?.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(r.server?.smart_versions).toEqual(['v2']);
    expect(r.server?.sources.token_endpoint).toEqual(['smart-configuration', 'openid-configuration']);
    expect(r.server?.sources.response_types_supported).toEqual(['openid-configuration']);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.disagreements).toEqual([]);
  });

  it('refuses a URL before any request (loopback without the opt-in)', async () => {
    const before = hits.length;
    const r = await discoverServer(`${base}/good`);
    expect(r.ok).toBe(false);
    expect(r.refused?.code).toBe('url_loopback');
    expect(hits.length).toBe(before);
  });

  it('reports missing and malformed fields of a partial document, and a 404 for the other', async () => {
    const r = await discoverServer(`${base}/partial`, opts);
    expect(r.ok).toBe(true);
    expect(r.documents[1]?.status).toBe('not_found');
    const smart = r.documents[0];
    expect(smart?.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'grant_types_supported', problem: 'malformed' }),
        expect.objectContaining({ field: 'capabilities', problem: 'malformed' }),
        expect.objectContaining({ field: 'code_challenge_methods_supported', problem: 'missing' }),
      ]),
    );
    expect(r.server?.token_endpoint).toBe(`${base}/partial/token`);
    expect(r.server?.grant_types_supported).toBeUndefined();
    expect(r.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['field_malformed', 'field_missing', 'document_unavailable']));
  });

  it('a broken JSON body and a non-object body are not_json, and nothing is usable', async () => {
    const r = await discoverServer(`${base}/malformed`, opts);
    expect(r.ok).toBe(false);
    expect(r.documents.map((d) => d.status)).toEqual(['not_json', 'not_json']);
    expect(r.findings.map((f) => f.code)).toContain('no_documents');
  });

  it('contradictory documents: SMART wins, disagreements and the foreign issuer are reported', async () => {
    const r = await discoverServer(`${base}/contra`, opts);
    expect(r.server?.token_endpoint).toBe(`${base}/contra/smart-token`);
    expect(r.disagreements.map((d) => d.field).sort()).toEqual(['code_challenge_methods_supported', 'issuer', 'token_endpoint']);
    const codes = r.findings.map((f) => f.code);
    expect(codes).toContain('issuer_mismatch');
    expect(r.findings.find((f) => f.code === 'documents_disagree' && f.field === 'token_endpoint')?.severity).toBe('error');
  });

  it('a redirect is shown, not followed', async () => {
    const r = await discoverServer(`${base}/redirect`, opts);
    const smart = r.documents[0];
    expect(smart?.status).toBe('redirect');
    expect(smart?.httpStatus).toBe(302);
    expect(smart?.location).toBe('http://169.254.169.254/latest/meta-data');
    expect(r.findings.map((f) => f.code)).toContain('document_redirect');
    expect(r.ok).toBe(false);
  });

  it('a slow server hits the timeout', async () => {
    const started = Date.now();
    const r = await discoverServer(`${base}/slow`, { allowLoopback: true, timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(r.documents.map((d) => d.status)).toEqual(['timeout', 'timeout']);
    expect(r.ok).toBe(false);
  });

  it('endpoints are checked: private, plain-http and credentialed endpoints removed; other hosts noted', async () => {
    const r = await discoverServer(`${base}/endpoints`, opts);
    expect(r.server?.token_endpoint).toBeUndefined();
    expect(r.server?.revocation_endpoint).toBeUndefined();
    expect(r.server?.introspection_endpoint).toBeUndefined();
    expect(r.server?.authorization_endpoint).toBe('https://auth.example.org/authorize');
    const refused = r.findings.filter((f) => f.code === 'endpoint_refused').map((f) => f.field).sort();
    expect(refused).toEqual(['introspection_endpoint', 'revocation_endpoint', 'token_endpoint']);
    expect(r.findings.find((f) => f.code === 'endpoint_other_host')?.field).toBe('authorization_endpoint');
  });

  it('also reads the OIDC document under the SMART issuer when it differs', async () => {
    const r = await discoverServer(`${base}/split`, opts);
    expect(r.documents.map((d) => d.url)).toContain(`${base}/split-issuer/.well-known/openid-configuration`);
    expect(r.server?.userinfo_endpoint).toBe(`${base}/split-issuer/userinfo`);
    expect(r.findings.map((f) => f.code)).not.toContain('issuer_mismatch');
  });
});

describe('parseDiscoveryDocument', () => {
  it('never throws and keeps good fields beside bad ones', () => {
    const r = parseDiscoveryDocument('openid-configuration', JSON.stringify({ issuer: 42, token_endpoint: 'https://a.example/t', scopes_supported: ['a', null] }));
    expect(r?.document).toEqual({ token_endpoint: 'https://a.example/t' });
    expect(r?.problems.map((p) => `${p.field}:${p.problem}`).sort()).toEqual(
      ['authorization_endpoint:missing', 'issuer:malformed', 'jwks_uri:missing', 'response_types_supported:missing', 'scopes_supported:malformed'].sort(),
    );
    expect(parseDiscoveryDocument('smart-configuration', 'null')).toBeNull();
    expect(parseDiscoveryDocument('smart-configuration', '<html>')).toBeNull();
  });
});
