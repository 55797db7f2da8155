import 'server-only';
/** Small builders for the CARIN Blue Button / BFD shapes the synthetic resources use. */

export const bbVariables = 'https://bluebutton.cms.gov/resources/variables';
export const bbCodeSystem = 'https://bluebutton.cms.gov/resources/codesystem';
export const c4bb = 'http://hl7.org/fhir/us/carin-bb';

/** A FHIR Coding. */
export interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** A Coding, without `display` when there is none (FHIR JSON has no nulls). */
export function coding(system: string, code: string, display?: string): Coding {
  return display === undefined ? { system, code } : { system, code, display };
}

/** A coding in one of Blue Button's CCW variable systems, e.g. `…/variables/nch_clm_type_cd`. */
export function variableCoding(variable: string, code: string, display?: string): Coding {
  return coding(`${bbVariables}/${variable}`, code, display);
}

/** An extension whose url and system are both the CCW variable's, as BFD writes them. */
export function variableExtension(variable: string, code: string, display?: string) {
  return { url: `${bbVariables}/${variable}`, valueCoding: variableCoding(variable, code, display) };
}

/** A FHIR Money in US dollars. */
export function usd(value: number) {
  return { value, currency: 'USD' };
}

/** An adjudication entry: a CARIN category, the BFD variable it comes from, and an amount. */
export function adjudication(
  carinSystem: string,
  carinCode: string,
  carinDisplay: string,
  variable: string,
  variableDisplay: string,
  amount: number,
) {
  return {
    category: {
      coding: [coding(carinSystem, carinCode, carinDisplay), coding(`${bbCodeSystem}/adjudication`, `${bbVariables}/${variable}`, variableDisplay)],
    },
    amount: usd(amount),
  };
}

/** A provider reference by NPI, typed the CARIN way. */
export function npiIdentifier(value: string) {
  return {
    identifier: {
      type: { coding: [coding(`${c4bb}/CodeSystem/C4BBIdentifierType`, 'npi', 'National Provider Identifier')] },
      value,
    },
  };
}

/** A `supportingInfo` entry of category "info" naming a CCW variable. */
export function infoCategory(variable: string, display: string) {
  return {
    coding: [
      coding('http://terminology.hl7.org/CodeSystem/claiminformationcategory', 'info', 'Information'),
      coding(`${bbCodeSystem}/information`, `${bbVariables}/${variable}`, display),
    ],
  };
}

/** `YYYY-MM-DDThh:mm:ss.mmm+00:00`, BFD's `meta.lastUpdated` form. */
export function fhirInstant(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

const msPerDay = 86_400_000;

/** `YYYY-MM-DD` for a day number (days since 1970-01-01). */
export function dayToDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10);
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
export function dateToDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / msPerDay;
}

/** A `supportingInfo` entry whose value is a code of the same CCW variable. */
export function infoCode(sequence: number, variable: string, display: string, code: string, codeDisplay: string) {
  return { sequence, category: infoCategory(variable, display), code: { coding: [variableCoding(variable, code, codeDisplay)] } };
}

/** A `benefitBalance.financial` entry for a CCW variable, in dollars. */
export function usedMoney(variable: string, display: string, amount: number) {
  return { type: { coding: [coding(`${bbCodeSystem}/benefit-balance`, `${bbVariables}/${variable}`, display)] }, usedMoney: usd(amount) };
}

/** `benefitBalance` in the "Medical Care" category, as BFD writes it for Part A and B claims. */
export function medicalCareBalance(financial: readonly unknown[]) {
  return [{ category: { coding: [coding('http://terminology.hl7.org/CodeSystem/ex-benefitcategory', '1', 'Medical Care')] }, financial }];
}
