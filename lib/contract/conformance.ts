import { z } from 'zod';

/**
 * Conformance checks (issue #18): the catalogue mirrors the server test groups of Inferno's SMART App Launch STU2.2
 * and Bulk Data v2.0.0 suites. The engine runs on the server; the page gets these results, never a secret.
 */

export const checkGroupSchema = z.enum([
  'discovery',
  'standalone',
  'openid',
  'refresh',
  'backend',
  'introspection',
  'bulk',
  'fhir',
  'sender',
]);
export type CheckGroup = z.infer<typeof checkGroupSchema>;

export const CHECK_GROUP_LABELS: Record<CheckGroup, string> = {
  discovery: 'Discovery',
  standalone: 'Standalone launch',
  openid: 'OpenID Connect',
  refresh: 'Token refresh',
  backend: 'Backend Services',
  introspection: 'Token introspection',
  bulk: 'Bulk Data',
  fhir: 'FHIR responses',
  sender: 'DPoP and pushed requests',
};

/**
 * - `pass` / `fail`: the assertion held or did not.
 * - `warn`: allowed by the spec but likely to break clients (a SHOULD, or a case difference).
 * - `known`: it failed, and the provider documents this deviation (its provider file says so): not the integrator's bug.
 * - `skip`: not checked, and `message` says why (no such exchange yet, not offered by the server …).
 */
export const checkOutcomeSchema = z.enum(['pass', 'warn', 'fail', 'known', 'skip']);
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

/** Which side the check judges: the server's answer, or the console's own request. */
export const checkSubjectSchema = z.enum(['server', 'client']);

export const checkDefinitionSchema = z.object({
  id: z.string(),
  group: checkGroupSchema,
  title: z.string(),
  subject: checkSubjectSchema,
  /** Run by "Check this server" only: it sends a request on purpose (a wrong grant type, no token …). */
  activeOnly: z.boolean(),
  spec: z.object({ label: z.string(), url: z.string() }),
  /** The Inferno test it mirrors: suite id and the test's title as the kit names it. */
  inferno: z.object({ suite: z.string(), test: z.string() }).optional(),
});
export type CheckDefinition = z.infer<typeof checkDefinitionSchema>;

export const checkResultSchema = z.object({
  checkId: z.string(),
  outcome: checkOutcomeSchema,
  /** Plain words: what held, what failed and why, or why it was skipped. */
  message: z.string(),
  /** The exchanges that are the evidence (ids in the session's timeline). */
  exchangeIds: z.array(z.string()).default([]),
  /** The provider's documented deviations that explain a `known` outcome (all of its problems). */
  deviations: z.array(z.object({ code: z.string(), summary: z.string() })).default([]),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** The worst outcome first: what a badge shows for a set of results. */
export const OUTCOME_SEVERITY: Record<CheckOutcome, number> = { fail: 4, warn: 3, known: 2, pass: 1, skip: 0 };

export function worstOutcome(results: readonly Pick<CheckResult, 'outcome'>[]): CheckOutcome | null {
  let worst: CheckOutcome | null = null;
  for (const r of results) if (worst === null || OUTCOME_SEVERITY[r.outcome] > OUTCOME_SEVERITY[worst]) worst = r.outcome;
  return worst;
}

/** `GET /api/conformance/catalogue`: every check the console knows. */
export const checkCatalogueDtoSchema = z.object({ checks: z.array(checkDefinitionSchema) });
export type CheckCatalogueDto = z.infer<typeof checkCatalogueDtoSchema>;

/** Passive results of one exchange, as `GET /api/session` carries them beside the exchange. */
export const exchangeChecksDtoSchema = z.object({ exchangeId: z.string(), results: z.array(checkResultSchema) });
export type ExchangeChecksDto = z.infer<typeof exchangeChecksDtoSchema>;

// `POST /api/conformance/{providerId}` takes `conformanceRunRequestSchema` (lib/contract/schemas.ts, beside the token
// request whose credential it names).

/**
 * The run answers as NDJSON, one event per line, so the page shows progress as it goes:
 * `start` (the checks to run), `progress` (what the runner is doing now), one `result` per check, then `done`.
 */
export const conformanceEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), runId: z.string(), providerId: z.string(), environmentId: z.string(), checkIds: z.array(z.string()), startedAt: z.number() }),
  z.object({ type: z.literal('progress'), step: z.string() }),
  z.object({ type: z.literal('result'), result: checkResultSchema }),
  z.object({ type: z.literal('done'), finishedAt: z.number(), summary: z.record(checkOutcomeSchema, z.number()) }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ConformanceEvent = z.infer<typeof conformanceEventSchema>;

export const CONFORMANCE_CONTENT_TYPE = 'application/x-ndjson';
