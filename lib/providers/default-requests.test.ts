import { describe, expect, it } from 'vitest';
import { createBcdaSandbox } from '@/lib/sandbox/bcda';
import { getAccessToken as getBcdaToken, send as sendBcda } from '@/lib/sandbox/bcda/test-helpers';
import { createTestSandbox as createBlueButtonSandbox, getTokens as getBlueButtonTokens, send as sendBlueButton } from '@/lib/sandbox/bluebutton/test-helpers';
import { createCandidSandbox } from '@/lib/sandbox/candid';
import { getAccessToken as getCandidToken, send as sendCandid } from '@/lib/sandbox/candid/test-helpers';
import { createTestSandbox as createHealthSherpaSandbox, getTokens as getHealthSherpaTokens, send as sendHealthSherpa } from '@/lib/sandbox/healthsherpa/test-helpers';
import { createOneUpHealthSandbox } from '@/lib/sandbox/oneuphealth';
import { getKeycloakToken, send as sendOneUp } from '@/lib/sandbox/oneuphealth/test-helpers';
import { createTestClock } from '@/lib/sandbox/shared/test-helpers';
import { createTestSandbox as createSmartSandbox, getUserTokens as getSmartTokens, send as sendSmart } from '@/lib/sandbox/smart/test-helpers';
import { bcda } from './bcda';
import { providers } from './index';
import { bluebutton } from './bluebutton';
import { candid } from './candid';
import { healthsherpa } from './healthsherpa';
import { oneuphealth } from './oneuphealth';
import type { DefaultRequest } from './schema';
import { smart } from './smart';

/**
 * Every example in the workbench's library answers on the built-in sandbox as its description says: each is sent
 * in order, as the page would send it (its own headers and body, the session's bearer token), and must succeed.
 */

type Send = (path: string, init: RequestInit) => Promise<Response>;

async function expectAllAnswer(requests: readonly DefaultRequest[], send: Send, token: string) {
  const answered: Array<[string, number]> = [];
  for (const request of requests) {
    const response = await send(request.path, {
      method: request.method,
      headers: { ...request.headers, Authorization: `Bearer ${token}` },
      body: request.body,
    });
    answered.push([request.id, response.status]);
  }
  expect(answered.filter(([, status]) => status >= 400)).toEqual([]);
  return answered;
}

/**
 * How each provider's default requests run on its built-in sandbox: a token as its flow gets one, then every request.
 * Keyed by provider id; a provider without an entry fails the test below, so a new provider's examples are exercised.
 */
const runOnBuiltinSandbox: Record<string, () => Promise<void>> = {
  // Metadata, every $export variant (202), the job list and the token check.
  bcda: async () => {
    const clock = createTestClock();
    const sandbox = createBcdaSandbox({ now: clock.now });
    const token = await getBcdaToken(sandbox, 'extra-small');
    const answered = await expectAllAnswer(bcda.defaultRequests, (path, init) => sendBcda(sandbox, path, init), token);
    for (const request of bcda.defaultRequests.filter((r) => r.bulkExport)) {
      expect(answered).toContainEqual([request.id, 202]);
    }
  },
  // Searches, the Part D filter, userinfo and discovery.
  bluebutton: async () => {
    const { sandbox } = createBlueButtonSandbox();
    const { access_token } = await getBlueButtonTokens(sandbox);
    await expectAllAnswer(bluebutton.defaultRequests, (path, init) => sendBlueButton(sandbox, path, init), access_token);
  },
  // Encounters and payers.
  candid: async () => {
    const sandbox = createCandidSandbox();
    const token = await getCandidToken(sandbox, 'demo-billing');
    await expectAllAnswer(candid.defaultRequests, (path, init) => sendCandid(sandbox, path, init), token);
  },
  // The bison bulk server's searches and exports (Patient Access ones need a member's sign-in: discovery only).
  '1uphealth': async () => {
    const clock = createTestClock();
    const sandbox = createOneUpHealthSandbox({ now: clock.now });
    const token = await getKeycloakToken(sandbox);
    const bison = oneuphealth.defaultRequests.filter((r) => !r.path.startsWith('/r4/') || r.group === 'discovery');
    await expectAllAnswer(bison, (path, init) => sendOneUp(sandbox, path, init), token);
  },
  // List, page, create and both searches.
  healthsherpa: async () => {
    const { sandbox } = createHealthSherpaSandbox();
    const { access_token } = await getHealthSherpaTokens(sandbox);
    await expectAllAnswer(healthsherpa.defaultRequests, (path, init) => sendHealthSherpa(sandbox, path, init), access_token);
  },
  // Discovery and the patient's own Patient and Observation searches.
  smart: async () => {
    const { sandbox } = createSmartSandbox();
    const { access_token } = await getSmartTokens(sandbox);
    await expectAllAnswer(smart.defaultRequests, (path, init) => sendSmart(sandbox, path, init), access_token);
  },
};

describe('default requests on the built-in sandboxes', () => {
  it.each(providers.map((provider) => [provider.id, provider] as const))('%s: every default request answers on its built-in sandbox', async (id) => {
    const run = runOnBuiltinSandbox[id];
    expect(run, `${id} has default requests but no way to run them on its sandbox in this test`).toBeDefined();
    await run!();
  });

  it.each(providers.map((provider) => [provider.id, provider] as const))('%s: every example has a group, bulk ones the bulk group', (_id, provider) => {
    for (const request of provider.defaultRequests) {
      expect(request.group, `${provider.id}/${request.id}`).toBeDefined();
      if (request.bulkExport) expect(request.group).toBe('bulk');
    }
  });
});
