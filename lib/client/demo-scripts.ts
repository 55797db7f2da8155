import { z } from 'zod';

/**
 * Demo scripts: one per built-in provider, the flow an onboarding demo walks through, run with one click on the
 * built-in sandbox. Each step is data; the runner performs it with the console's own calls. A login is where a
 * person must act: the script pauses there and carries on when the browser comes back with a token.
 */

export type DemoStep =
  | { kind: 'get-token'; title: string }
  | { kind: 'authorize'; title: string; atLoginPage: string }
  | { kind: 'request'; title: string; path: string }
  | { kind: 'next-page'; title: string }
  | { kind: 'bulk-export'; title: string; path: string }
  | { kind: 'refresh'; title: string };

export interface DemoScript {
  providerId: string;
  /** The credential set it runs with, on the built-in sandbox. */
  presetId: string;
  title: string;
  steps: DemoStep[];
}

export const DEMO_SCRIPTS: readonly DemoScript[] = [
  {
    providerId: 'bcda',
    presetId: 'extra-small',
    title: 'Token, bulk export, status polls, download and preview',
    steps: [
      { kind: 'get-token', title: 'Get a token (client credentials, HTTP Basic)' },
      { kind: 'bulk-export', title: 'Export Patient data: kick-off, poll, download, preview', path: '/api/v2/Patient/$export?_type=Patient' },
    ],
  },
  {
    providerId: 'bluebutton',
    presetId: 'demo-demographic',
    title: 'Authorize, consent, token, explanations of benefit page 2, refresh',
    steps: [
      { kind: 'authorize', title: 'Authorize with PKCE', atLoginPage: 'Log in as BBUser00000 / PW00000! and press Allow.' },
      { kind: 'request', title: 'Read explanations of benefit', path: '/v2/fhir/ExplanationOfBenefit?_count=10' },
      { kind: 'next-page', title: 'Follow the Bundle’s next link (page 2)' },
      { kind: 'refresh', title: 'Refresh (the refresh token rotates)' },
    ],
  },
  {
    providerId: 'candid',
    presetId: 'demo-billing',
    title: 'Token (JSON body) and the encounters API',
    steps: [
      { kind: 'get-token', title: 'Get a token (credentials in a JSON body)' },
      { kind: 'request', title: 'List encounters', path: '/api/encounters/v4?limit=5' },
    ],
  },
  {
    providerId: '1uphealth',
    presetId: 'provider-access',
    title: 'Keycloak token and a FHIR search',
    steps: [
      { kind: 'get-token', title: 'Get a token (GET with a form body, as 1upHealth documents)' },
      { kind: 'request', title: 'Search patients', path: '/v1/bison/bulk-export/bulk-data/r4/Patient?_count=10' },
    ],
  },
  {
    providerId: 'healthsherpa',
    presetId: 'demo-partner-app',
    title: 'Agent login, token, contacts, refresh',
    steps: [
      { kind: 'authorize', title: 'Authorize (agent login and consent)', atLoginPage: 'Log in as agent@demo-agency.test / Sherpa-Demo-1! and press Authorize.' },
      { kind: 'request', title: 'List contacts', path: '/v2/contacts' },
      { kind: 'refresh', title: 'Refresh (the refresh token rotates)' },
    ],
  },
  {
    providerId: 'smart',
    presetId: 'confidential-app',
    title: 'SMART App Launch: sign in, patients, refresh',
    steps: [
      { kind: 'authorize', title: 'Authorize with PKCE and aud', atLoginPage: 'Sign in as patient1 / smart-sandbox and approve.' },
      { kind: 'request', title: 'Search patients', path: '/fhir/Patient' },
      { kind: 'refresh', title: 'Refresh (the refresh token rotates)' },
    ],
  },
];

export function demoScriptFor(providerId: string): DemoScript | undefined {
  return DEMO_SCRIPTS.find((script) => script.providerId === providerId);
}

/** Where a run is: kept in the tab's sessionStorage (no secret in it) across the trip to the login page. */
export const demoProgressSchema = z.object({
  providerId: z.string(),
  /** The next step to perform. */
  next: z.number().int().nonnegative(),
  status: z.enum(['running', 'at-login', 'done', 'failed']),
  /** Epoch ms the login page was opened: a token issued after it means the person came back. */
  loginStartedAt: z.number().optional(),
  error: z.string().optional(),
  /** The last answer's `next` link, for a next-page step. */
  nextPath: z.string().optional(),
});
export type DemoProgress = z.infer<typeof demoProgressSchema>;

/** The saved run, or null when there is none or it is not one (storage is another boundary). */
export function parseDemoProgress(raw: string | null): DemoProgress | null {
  if (!raw) return null;
  try {
    const parsed = demoProgressSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface DemoActions {
  getToken(): Promise<void>;
  /** Sends the browser to the login page; the page unloads. */
  authorize(): Promise<void>;
  request(path: string): Promise<{ nextPath?: string }>;
  bulkExport(path: string): Promise<void>;
  refresh(): Promise<void>;
  save(progress: DemoProgress | null): void;
  onProgress(progress: DemoProgress): void;
}

/**
 * Runs the script from `progress.next` until it ends, fails, or reaches a login page (where it saves itself and
 * the browser leaves). Each step's failure stops the run with its message.
 */
export async function runDemo(script: DemoScript, start: DemoProgress, actions: DemoActions): Promise<DemoProgress> {
  let progress: DemoProgress = { ...start, status: 'running' };
  actions.onProgress(progress);
  while (progress.next < script.steps.length) {
    const step = script.steps[progress.next]!;
    try {
      if (step.kind === 'authorize') {
        progress = { ...progress, next: progress.next + 1, status: 'at-login', loginStartedAt: Date.now() };
        actions.save(progress);
        actions.onProgress(progress);
        await actions.authorize();
        return progress;
      }
      let nextPath = progress.nextPath;
      if (step.kind === 'get-token') await actions.getToken();
      else if (step.kind === 'refresh') await actions.refresh();
      else if (step.kind === 'bulk-export') await actions.bulkExport(step.path);
      else if (step.kind === 'request') nextPath = (await actions.request(step.path)).nextPath;
      else {
        if (!nextPath) throw new Error('The last answer had no next link to follow.');
        nextPath = (await actions.request(nextPath)).nextPath;
      }
      progress = { ...progress, next: progress.next + 1, nextPath };
      actions.onProgress(progress);
    } catch (error) {
      progress = { ...progress, status: 'failed', error: `Step ${progress.next + 1} (${step.title}): ${error instanceof Error ? error.message : String(error)}` };
      actions.save(null);
      actions.onProgress(progress);
      return progress;
    }
  }
  progress = { ...progress, status: 'done' };
  actions.save(null);
  actions.onProgress(progress);
  return progress;
}
