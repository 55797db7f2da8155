import 'server-only';
import type { CheckResult } from '@/lib/contract/conformance';
import { createExchangeClassifier, type ExchangeStep } from '@/lib/contract/exchange-steps';
import type { ExchangeDto, TokenDto } from '@/lib/contract/schemas';
import type { Provider } from '@/lib/providers/schema';
import { CHECKS } from './catalogue';
import type { ConformanceCheck, ProviderFacts, Verdict } from './check';

/**
 * Passive conformance (issue #18 §2): every recorded exchange judged by the checks that apply to its step, as the
 * session is shown. Results are pure functions of the exchange, the ones before it and the provider's data, so they
 * are kept per exchange id once computed.
 */

export function providerFacts(provider: Provider): ProviderFacts {
  return {
    id: provider.id,
    smartAppLaunch: provider.smartAppLaunch,
    apiKind: provider.apiKind,
    bulk: provider.bulkExport !== undefined,
    stu3PathPrefixes: (provider.bulkExport?.bases ?? []).filter((v) => v.fhirVersion === 'STU3').map((v) => v.path),
    knownDeviations: provider.knownDeviations,
  };
}

/** A check's verdict as the page sees it: `known` when the provider documents every problem's deviation. */
export function toResult(check: Pick<ConformanceCheck, 'id'>, verdict: Verdict, provider: ProviderFacts, exchangeIds: string[]): CheckResult {
  const base = { checkId: check.id, message: verdict.message, exchangeIds: [...new Set([...exchangeIds, ...(verdict.exchangeIds ?? [])])] };
  const codes = verdict.deviations ?? [];
  if ((verdict.outcome === 'fail' || verdict.outcome === 'warn') && codes.length > 0) {
    const documented = codes.map((code) => (code ? provider.knownDeviations.find((d) => d.code === code) : undefined));
    if (documented.every((d) => d !== undefined)) {
      const unique = [...new Map(documented.map((d) => [d.code, { code: d.code, summary: d.summary }])).values()];
      return { ...base, outcome: 'known', deviations: unique };
    }
  }
  return { ...base, outcome: verdict.outcome, deviations: [] };
}

const CHECKS_BY_STEP = new Map<ExchangeStep, ConformanceCheck[]>();
for (const check of CHECKS) for (const step of check.steps ?? []) CHECKS_BY_STEP.set(step, [...(CHECKS_BY_STEP.get(step) ?? []), check]);

const CACHE_LIMIT = 4000;
const cache = new Map<string, CheckResult[]>();

/**
 * The passive results of each exchange, in order. `providers` gives the facts of each provider id (an exchange of a
 * provider it does not know gets none); `tokens` the session's tokens, whose decoded ID token some checks read.
 */
export function checkExchanges(exchanges: readonly ExchangeDto[], providers: ReadonlyMap<string, ProviderFacts>, tokens: readonly TokenDto[]): CheckResult[][] {
  const classifiers = new Map<string, ReturnType<typeof createExchangeClassifier>>();
  const seen = new Map<string, { exchange: ExchangeDto; step: ExchangeStep }[]>();
  return exchanges.map((exchange) => {
    const provider = providers.get(exchange.providerId);
    if (!provider) return [];
    let classify = classifiers.get(exchange.providerId);
    if (!classify) classifiers.set(exchange.providerId, (classify = createExchangeClassifier()));
    const step = classify(exchange);
    const earlier = seen.get(exchange.providerId) ?? [];
    if (!exchange.probe) seen.set(exchange.providerId, [...earlier, { exchange, step }]);
    const token = tokens.find((t) => t.exchangeId === exchange.id && t.providerId === exchange.providerId);
    // The first look sees the token this exchange brought (it is stored before the session is read again); a later
    // refresh replaces it, and the ID token's results stay as they were then.
    const key = `${exchange.id}:${step}`;
    const cached = cache.get(key);
    if (cached) return cached;
    // A probe was wrong on purpose: only the checks that read a refusal judge it.
    const applicable = (CHECKS_BY_STEP.get(step) ?? []).filter((check) => !exchange.probe || check.judgesProbes);
    const results = applicable.flatMap((check) => {
      const verdict = check.evaluate?.({ exchange, step, earlier, provider, token });
      return verdict ? [toResult(check, verdict, provider, [exchange.id])] : [];
    });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, results);
    return results;
  });
}

