import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenRequest } from '@/lib/contract/schemas';
import { resolveFlow } from '@/lib/oauth/flow';
import { getClientCredentialsToken } from '@/lib/oauth/token-service';
import { bcda } from '@/lib/providers/bcda';
import { resolveEnvironment } from '@/lib/providers/resolve';
import { MemoryVaultStore } from '@/lib/session/stores/memory';
import { SessionVault } from '@/lib/session/vault';
import { startLoopbackBcda } from '@/test/loopback-sandbox';
import { recordTokenRefusal } from '@/lib/oauth/token-refusal';
import { sendFhirRequest } from './proxy';
import { catchHttpError } from '@/test/http-error';

/** The FHIR proxy against the built-in BCDA sandbox over loopback, with a token the console minted. */

const builtin = bcda.environments.find((e) => e.id === 'builtin')!;

let sandbox: Awaited<ReturnType<typeof startLoopbackBcda>>;
beforeAll(async () => {
  sandbox = await startLoopbackBcda();
});
afterAll(() => sandbox.close());

const preset = (presetId: string): TokenRequest['credential'] => ({ kind: 'preset', presetId });

function setup() {
  const vault = new SessionVault(new MemoryVaultStore(), { '1': 'p'.repeat(32) });
  const sid = `sid-${Math.random().toString(36).slice(2)}`;
  const flow = (credential: TokenRequest['credential']) => resolveFlow(bcda, 'builtin', credential, sandbox.origin);
  return { vault, sid, flow, env: resolveEnvironment(bcda, builtin, sandbox.origin) };
}

describe('sendFhirRequest', () => {
  it('attaches the session token as "Bearer", kicks off an export and previews NDJSON', async () => {
    const { vault, sid, env, flow } = setup();
    const { token } = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    const record = (e: Parameters<SessionVault['recordExchange']>[1]) => vault.recordExchange(sid, e);
    const kickoff = await sendFhirRequest(env, token, { method: 'GET', path: '/api/v2/Patient/$export?_type=Patient', headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' }, previewLines: 5 }, record);
    expect(kickoff.status).toBe(202);
    const location = kickoff.headers.find(([n]) => n === 'content-location')?.[1];
    expect(location).toMatch(/\/sandbox\/bcda\/api\/v2\/jobs\/\d+$/);
    const jobPath = new URL(location!).pathname.replace('/sandbox/bcda', '');

    let status = await sendFhirRequest(env, token, { method: 'GET', path: jobPath, headers: {}, previewLines: 5 }, record);
    for (let i = 0; status.status === 202 && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await sendFhirRequest(env, token, { method: 'GET', path: jobPath, headers: {}, previewLines: 5 }, record);
    }
    expect(status.status).toBe(200);
    const manifest = status.json as { output: { type: string; url: string }[] };
    expect(manifest.output.map((o) => o.type)).toEqual(['Patient']);
    const filePath = new URL(manifest.output[0]!.url).pathname.replace('/sandbox/bcda', '');
    const preview = await sendFhirRequest(env, token, { method: 'GET', path: filePath, headers: {}, previewLines: 5 }, record);
    expect(preview.bodyKind).toBe('ndjson');
    expect(preview.ndjson?.linesShown).toBe(5);
    expect(preview.ndjson?.truncated).toBe(true);
    expect(preview.ndjson?.lines.every((l) => (l as { resourceType: string }).resourceType === 'Patient')).toBe(true);

    const recorded = JSON.stringify(await vault.listExchanges(sid));
    expect(recorded).not.toContain(token.accessToken);
    expect(recorded).toContain('Bearer [redacted]');
  });

  it('records the provider refusing the session token (a 401 to it), and a refused token is never reused', async () => {
    const { vault, sid, env, flow } = setup();
    const { token } = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    const record = (e: Parameters<SessionVault['recordExchange']>[1]) => vault.recordExchange(sid, e);
    const refusals: string[] = [];
    const onTokenRefused = async (refused: typeof token, reason: string, exchangeId: string) => {
      refusals.push(reason);
      await recordTokenRefusal(vault, sid, refused, { at: Date.now(), source: 'resource', reason, exchangeId });
    };
    const fine = await sendFhirRequest(env, token, { method: 'GET', path: '/api/v2/metadata', headers: {}, previewLines: 5 }, record, { onTokenRefused });
    expect(fine.status).toBe(200);
    expect(refusals).toEqual([]);
    expect((await vault.getToken(sid, 'bcda'))?.refusal).toBeUndefined();

    const refused = await sendFhirRequest(env, token, { method: 'GET', path: '/api/v2/Patient/$export', headers: { Prefer: 'respond-async' }, previewLines: 5 }, record, { onTokenRefused, simulations: ['expired_token'] });
    expect(refused.status).toBe(401);
    expect(refusals).toHaveLength(1);
    const stored = await vault.getToken(sid, 'bcda');
    expect(stored?.refusal).toMatchObject({ source: 'resource', reason: refusals[0], exchangeId: refused.exchangeId });
    expect(stored?.refusal?.reason).not.toContain(token.accessToken);

    const next = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    expect(next.reused).toBeUndefined();
    expect(next.token.accessToken).not.toBe(token.accessToken);
    expect(next.token.refusal).toBeUndefined();
  });

  it('validates a FHIR JSON answer against R4 where it read it whole, and records the summary beside the exchange (issue #18)', async () => {
    const { vault, sid, env } = setup();
    const record = (e: Parameters<SessionVault['recordExchange']>[1]) => vault.recordExchange(sid, e);
    await sendFhirRequest(env, null, { method: 'GET', path: '/api/v2/metadata', headers: {}, previewLines: 5 }, record);
    const [exchange] = await vault.listExchanges(sid);
    expect(exchange?.r4).toEqual({ resources: 1, problems: [] });
  });

  it('refuses a path outside the environment without sending it', async () => {
    const { vault, sid, env } = setup();
    const record = (e: Parameters<SessionVault['recordExchange']>[1]) => vault.recordExchange(sid, e);
    const error = await catchHttpError(sendFhirRequest(env, null, { method: 'GET', path: '/api/../auth/token', headers: {}, previewLines: 5 }, record));
    expect(error).toMatchObject({ status: 400, code: 'path_not_allowed' });
    const header = await catchHttpError(sendFhirRequest(env, null, { method: 'GET', path: '/api/v2/metadata', headers: { Authorization: 'Bearer x' }, previewLines: 5 }, record));
    expect(header.message).toContain('Authorization');
    expect(await vault.listExchanges(sid)).toEqual([]);
  });

  it('does not send a token minted for another environment', async () => {
    const { vault, sid, flow } = setup();
    const { token } = await getClientCredentialsToken({ vault, sid }, flow(preset('extra-small')));
    const elsewhere = resolveEnvironment(bcda, { ...builtin, id: 'other-builtin' }, sandbox.origin);
    const record = (e: Parameters<SessionVault['recordExchange']>[1]) => vault.recordExchange(sid, e);
    const response = await sendFhirRequest(elsewhere, token, { method: 'GET', path: '/auth/welcome', headers: {}, previewLines: 5 }, record);
    expect(response.status).toBe(401);
  });
});
