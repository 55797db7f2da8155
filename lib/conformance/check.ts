import 'server-only';
import type { CheckDefinition, CheckOutcome } from '@/lib/contract/conformance';
import type { ExchangeStep } from '@/lib/contract/exchange-steps';
import type { ExchangeDto, TokenDto } from '@/lib/contract/schemas';
import type { KnownDeviation } from '@/lib/providers/schema';

/** What the checks know of the provider an exchange belongs to: its public facts, never a credential. */
export interface ProviderFacts {
  id: string;
  /** It follows SMART App Launch (its `.well-known/smart-configuration`, `aud`, launch context). */
  smartAppLaunch: boolean;
  apiKind: 'fhir' | 'json';
  /** It offers Bulk Data `$export`. */
  bulk: boolean;
  /** API paths that serve FHIR STU3 (BCDA v1), where the R4 checks do not apply. */
  stu3PathPrefixes: readonly string[];
  knownDeviations: readonly KnownDeviation[];
}

/** One exchange as a check sees it: its step, and the rest of the provider's exchanges around it. */
export interface ExchangeInContext {
  exchange: ExchangeDto;
  step: ExchangeStep;
  /** The provider's exchanges recorded before this one, oldest first, with their steps. */
  earlier: readonly { exchange: ExchangeDto; step: ExchangeStep }[];
  provider: ProviderFacts;
  /** The session's token of this provider when it came from this exchange (decoded ID token, verification). */
  token?: TokenDto;
}

/**
 * A check's answer. A `fail` or `warn` names, per problem, the deviation code that would explain it
 * (`expires_in_string` …) or null for a problem no deviation explains; when the provider file documents every one of
 * them, the result becomes `known`.
 */
export interface Verdict {
  outcome: Exclude<CheckOutcome, 'known'>;
  message: string;
  deviations?: (string | null)[];
  exchangeIds?: string[];
}

export interface Problem {
  message: string;
  deviation?: string;
  /** `warn`: allowed, but likely to break clients. */
  severity?: 'fail' | 'warn';
}

export interface ConformanceCheck extends CheckDefinition {
  /** Passive checks: the steps they judge, and how. Active-only checks are judged by the runner. */
  steps?: readonly ExchangeStep[];
  evaluate?: (x: ExchangeInContext) => Verdict | null;
  /** Why a run may not see this check's exchange, when it is not that the group was skipped. */
  unseen?: string;
  /** It also judges a run's deliberate probes (a refused request's error body is exactly what it reads). */
  judgesProbes?: boolean;
}

/** A passive check that judges the server's answer, as most do. */
export const serverCheck = (check: Omit<ConformanceCheck, 'subject' | 'activeOnly'>): ConformanceCheck => ({ ...check, subject: 'server', activeOnly: false });

export const pass = (message: string): Verdict => ({ outcome: 'pass', message });
export const skip = (message: string): Verdict => ({ outcome: 'skip', message });

/** The verdict of a check's problems: `fail` if any fails, else `warn`, else `pass`; every message is kept. */
export function verdictOf(problems: readonly Problem[], passMessage: string): Verdict {
  if (problems.length === 0) return pass(passMessage);
  return {
    outcome: problems.some((p) => p.severity !== 'warn') ? 'fail' : 'warn',
    message: problems.map((p) => p.message).join(' '),
    deviations: problems.map((p) => p.deviation ?? null),
  };
}
