import { describe, expect, it } from 'vitest';
import { providers } from '@/lib/providers';
import { DEMO_SCRIPTS, parseDemoProgress, runDemo, type DemoActions, type DemoProgress } from './demo-scripts';

describe('DEMO_SCRIPTS', () => {
  it('gives every built-in provider one script, with a credential set of its built-in sandbox', () => {
    const builtin = providers.filter((p) => p.environments.some((e) => e.kind === 'builtin'));
    expect(DEMO_SCRIPTS.map((s) => s.providerId).sort()).toEqual(builtin.map((p) => p.id).sort());
    for (const script of DEMO_SCRIPTS) {
      const preset = providers.find((p) => p.id === script.providerId)?.presets.find((p) => p.id === script.presetId);
      expect(preset?.environments, `${script.providerId}/${script.presetId}`).toContain('builtin');
      expect(script.steps.length).toBeGreaterThan(1);
    }
  });

  it('starts an authorization-code provider’s script at the login page and a client-credentials one with a token', () => {
    for (const script of DEMO_SCRIPTS) {
      const provider = providers.find((p) => p.id === script.providerId)!;
      const grant = provider.presets.find((p) => p.id === script.presetId)?.grant ?? provider.grant;
      expect(script.steps[0]?.kind).toBe(grant.grantType === 'authorization_code' ? 'authorize' : 'get-token');
    }
  });
});

function fakeActions(overrides: Partial<DemoActions> = {}) {
  const calls: string[] = [];
  const saved: (DemoProgress | null)[] = [];
  const actions: DemoActions = {
    getToken: async () => void calls.push('token'),
    authorize: async () => void calls.push('authorize'),
    request: async (path) => {
      calls.push(`GET ${path}`);
      return { nextPath: `${path}&page=2` };
    },
    bulkExport: async (path) => void calls.push(`export ${path}`),
    refresh: async () => void calls.push('refresh'),
    save: (progress) => void saved.push(progress),
    onProgress: () => undefined,
    ...overrides,
  };
  return { actions, calls, saved };
}

describe('runDemo', () => {
  const bluebutton = DEMO_SCRIPTS.find((s) => s.providerId === 'bluebutton')!;

  it('stops at the login page having saved where it is, then carries on from the next step, following the next link', async () => {
    const first = fakeActions();
    const paused = await runDemo(bluebutton, { providerId: 'bluebutton', next: 0, status: 'running' }, first.actions);
    expect(first.calls).toEqual(['authorize']);
    expect(paused).toMatchObject({ status: 'at-login', next: 1 });
    expect(first.saved.at(-1)).toMatchObject({ status: 'at-login', next: 1 });

    const second = fakeActions();
    const done = await runDemo(bluebutton, paused, second.actions);
    expect(second.calls).toEqual(['GET /v2/fhir/ExplanationOfBenefit?_count=10', 'GET /v2/fhir/ExplanationOfBenefit?_count=10&page=2', 'refresh']);
    expect(done.status).toBe('done');
    expect(second.saved.at(-1)).toBeNull();
  });

  it('stops at a failing step with its title and why, and forgets the saved run', async () => {
    const { actions, calls, saved } = fakeActions({ request: async () => Promise.reject(new Error('GET /v2/fhir/ExplanationOfBenefit answered 503.')) });
    const failed = await runDemo(bluebutton, { providerId: 'bluebutton', next: 1, status: 'running' }, actions);
    expect(failed).toMatchObject({ status: 'failed', next: 1, error: 'Step 2 (Read explanations of benefit): GET /v2/fhir/ExplanationOfBenefit answered 503.' });
    expect(calls).toEqual([]);
    expect(saved).toEqual([null]);
  });

  it('refuses a next-page step when the last answer had no next link', async () => {
    const { actions } = fakeActions({ request: async () => ({}) });
    const failed = await runDemo(bluebutton, { providerId: 'bluebutton', next: 1, status: 'running' }, actions);
    expect(failed.error).toBe('Step 3 (Follow the Bundle’s next link (page 2)): The last answer had no next link to follow.');
  });
});

describe('parseDemoProgress', () => {
  it('reads a saved run back, and nothing from what is not one', () => {
    const saved: DemoProgress = { providerId: 'bluebutton', next: 1, status: 'at-login', loginStartedAt: 5 };
    expect(parseDemoProgress(JSON.stringify(saved))).toEqual(saved);
    expect(parseDemoProgress(null)).toBeNull();
    expect(parseDemoProgress('{oops')).toBeNull();
    expect(parseDemoProgress(JSON.stringify({ ...saved, next: -1 }))).toBeNull();
    expect(parseDemoProgress(JSON.stringify({ ...saved, status: 'paused' }))).toBeNull();
  });
});
