import 'server-only';
/**
 * BCDA's v1 API serves FHIR STU3 (3.0.2), as Blue Button's v1 data was (../shared/PROVIDERS.md, "Hosts and
 * versions"). The sandbox draws the same synthetic beneficiaries and claims for every version and writes them in
 * STU3 here: the R4 fields STU3 names otherwise are renamed (EOB `item.productOrService` → `service`,
 * `*Sequence` → `*LinkId`, `total` → `totalCost`/`totalBenefit`, `outcome` a CodeableConcept, one `insurance`;
 * Coverage `class` → `grouping`), Money takes STU3's `system`/`code`, and the R4-only CARIN profiles are dropped.
 * @see https://hl7.org/fhir/STU3/explanationofbenefit.html
 */

type Json = Record<string, unknown>;

const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** R4 Money `{value, currency}` → STU3 Money (a Quantity) `{value, system, code}`, at any depth. */
function moneyToStu3(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(moneyToStu3);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, field] of Object.entries(value)) out[key] = moneyToStu3(field);
  if (typeof out.currency === 'string' && typeof out.value === 'number' && Object.keys(out).length === 2) {
    return { value: out.value, system: CURRENCY_SYSTEM, code: out.currency };
  }
  return out;
}

function withoutProfile(resource: Json): Json {
  if (!isObject(resource.meta)) return resource;
  const meta = { ...resource.meta };
  delete meta.profile;
  return { ...resource, meta };
}

function eobToStu3(eob: Json): Json {
  // STU3's ExplanationOfBenefit has no `use`.
  const { total, insurance, outcome, item, ...rest } = eob;
  delete rest.use;
  const totals = Array.isArray(total) ? total.filter(isObject) : [];
  const totalOf = (code: string) => totals.find((t) => JSON.stringify(t.category ?? {}).includes(`"code":"${code}"`))?.amount;
  const firstInsurance = Array.isArray(insurance) ? insurance.find(isObject) : undefined;
  const items = Array.isArray(item)
    ? item.filter(isObject).map(({ productOrService, careTeamSequence, diagnosisSequence, ...line }) => ({
        ...line,
        ...(careTeamSequence !== undefined ? { careTeamLinkId: careTeamSequence } : {}),
        ...(diagnosisSequence !== undefined ? { diagnosisLinkId: diagnosisSequence } : {}),
        ...(productOrService !== undefined ? { service: productOrService } : {}),
      }))
    : undefined;
  return {
    ...rest,
    ...(typeof outcome === 'string' ? { outcome: { coding: [{ system: 'http://hl7.org/fhir/remittance-outcome', code: outcome }] } } : {}),
    ...(firstInsurance?.coverage !== undefined ? { insurance: { coverage: firstInsurance.coverage } } : {}),
    ...(items ? { item: items } : {}),
    ...(totalOf('submitted') !== undefined ? { totalCost: totalOf('submitted') } : {}),
    ...(totalOf('benefit') !== undefined ? { totalBenefit: totalOf('benefit') } : {}),
  };
}

function coverageToStu3(coverage: Json): Json {
  const { class: classes, ...rest } = coverage;
  const valueOf = (code: string) =>
    Array.isArray(classes) ? classes.filter(isObject).find((c) => JSON.stringify(c.type ?? {}).includes(`"code":"${code}"`))?.value : undefined;
  const subGroup = valueOf('subgroup');
  const subPlan = valueOf('subplan');
  return { ...rest, grouping: { ...(subGroup ? { subGroup } : {}), ...(subPlan ? { subPlan } : {}) } };
}

/** One R4 resource of the sandbox's synthetic data, written as STU3. */
export function toStu3(resource: Json): Json {
  const plain = withoutProfile(resource);
  const converted =
    plain.resourceType === 'ExplanationOfBenefit' ? eobToStu3(plain) : plain.resourceType === 'Coverage' ? coverageToStu3(plain) : plain;
  return moneyToStu3(converted) as Json;
}

/** An NDJSON chunk of R4 lines (each ending in `\n`) as STU3 lines. */
export function linesToStu3(lines: string): string {
  let out = '';
  for (const line of lines.split('\n')) if (line) out += `${JSON.stringify(toStu3(JSON.parse(line) as Json))}\n`;
  return out;
}
