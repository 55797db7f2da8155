import 'server-only';
import type { CheckDefinition } from '@/lib/contract/conformance';
import type { ConformanceCheck } from './check';
import { dataChecks } from './checks/data';
import { launchChecks } from './checks/launch';
import { SPECS } from './checks/specs';
import { senderChecks } from './checks/sender';
import { tokenChecks } from './checks/token';
import { INFERNO_TESTS } from './inferno';

/** Checks only "Check this server" runs: each sends a request on purpose and judges the answer. */
const activeChecks: ConformanceCheck[] = [
  { id: 'backend.invalid-grant-type', group: 'backend', title: 'A token request with an unknown grant_type is refused', spec: SPECS.backendError },
  { id: 'backend.invalid-assertion-type', group: 'backend', title: 'A token request with the wrong client_assertion_type is refused', spec: SPECS.backendError },
  { id: 'backend.invalid-jwt', group: 'backend', title: 'A client assertion signed with an unknown key is refused', spec: SPECS.backendError },
  { id: 'refresh.without-scopes', group: 'refresh', title: 'A refresh without scope succeeds', spec: SPECS.refresh },
  { id: 'refresh.with-scopes', group: 'refresh', title: 'A refresh asking for the granted scopes succeeds', spec: SPECS.refresh },
  { id: 'introspection.inactive', group: 'introspection', title: 'An unknown token introspects as active: false', spec: SPECS.introspection },
  { id: 'openid.fhir-user-resolves', group: 'openid', title: "fhirUser resolves to a resource with the session's token", spec: SPECS.fhirUser },
  { id: 'bulk.kickoff-without-token', group: 'bulk', title: 'A kick-off without a token is refused with 401', spec: SPECS.bulkKickoff },
  { id: 'bulk.kickoff-patient', group: 'bulk', title: 'Patient-level export starts', spec: SPECS.bulkKickoff },
  { id: 'bulk.kickoff-group', group: 'bulk', title: 'Group-level export starts', spec: SPECS.bulkKickoff },
  { id: 'bulk.kickoff-system', group: 'bulk', title: 'System-level export starts', spec: SPECS.bulkKickoff },
  { id: 'bulk.since', group: 'bulk', title: 'A kick-off with `_since` is accepted', spec: SPECS.bulkParameters },
  { id: 'bulk.output-format', group: 'bulk', title: 'Each `_outputFormat` for NDJSON is accepted', spec: SPECS.bulkParameters },
  { id: 'bulk.cancel-then-gone', group: 'bulk', title: 'A cancelled job answers 404 afterwards', spec: SPECS.bulkCancel },
  { id: 'fhir.no-token-refused', group: 'fhir', title: 'A FHIR request without a token is refused with 401', spec: SPECS.bearer },
  { id: 'fhir.invalid-token-refused', group: 'fhir', title: 'A FHIR request with an unknown or expired token is refused with 401', spec: SPECS.bearer },
  { id: 'sender.dpop-bound-as-bearer-refused', group: 'sender', title: 'A DPoP-bound token sent as a Bearer token is refused', spec: SPECS.dpopAsBearer },
].map((c) => ({ ...c, group: c.group as ConformanceCheck['group'], subject: 'server' as const, activeOnly: true }));

const GROUP_ORDER = ['discovery', 'standalone', 'openid', 'refresh', 'backend', 'introspection', 'bulk', 'fhir', 'sender'] as const;

/** Every check, in the order a report lists them: by group, as Inferno orders its suites, passive before active. */
export const CHECKS: readonly ConformanceCheck[] = [...launchChecks, ...tokenChecks, ...dataChecks, ...senderChecks, ...activeChecks]
  .map((check) => ({ ...check, inferno: INFERNO_TESTS[check.id] }))
  .sort((a, b) => GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group));

export const CHECKS_BY_ID: ReadonlyMap<string, ConformanceCheck> = new Map(CHECKS.map((c) => [c.id, c]));

/** The catalogue as the page gets it: definitions only. */
export function checkDefinitions(): CheckDefinition[] {
  return CHECKS.map(({ id, group, title, subject, activeOnly, spec, inferno }) => ({ id, group, title, subject, activeOnly, spec, ...(inferno ? { inferno } : {}) }));
}
