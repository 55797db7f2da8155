import 'server-only';
import {
  billablePeriod,
  claimDiagnoses,
  claimIdentifiers,
  coverageReference,
  eobMeta,
  eobType,
  processedDay,
  sum,
  syntheticNpi,
  type ClaimSeed,
} from './claim-common';
import { between, type Random } from '../shared/hash';
import { digitString, money, shuffled } from './deterministic';
import {
  adjudication,
  bbCodeSystem,
  bbVariables,
  c4bb,
  coding,
  dayToDate,
  infoCategory,
  infoCode,
  medicalCareBalance,
  npiIdentifier,
  usd,
  usedMoney,
  variableCoding,
  variableExtension,
} from './fhir-codes';

/**
 * Part A institutional claims: hospital inpatient stays and outpatient visits, shaped like
 * `eob_read_in_pt_v2.json` and `eob_read_out_pt_v2.json` (a contained provider Organization, revenue-center lines).
 */

export type InstitutionalKind = 'inpatient' | 'outpatient';

interface RevenueCenter {
  code: string;
  display: string;
  hcpcs?: [string, string];
  min: number;
  max: number;
}

const inpatientCenters: readonly RevenueCenter[] = [
  { code: '0120', display: 'Room & Board - Semi-private Two Beds - general classification', min: 1500, max: 4000 },
  { code: '0250', display: 'Pharmacy - general classification', min: 200, max: 1500 },
  { code: '0300', display: 'Laboratory - general classification', min: 150, max: 900 },
  { code: '0320', display: 'Radiology - Diagnostic - general classification', min: 200, max: 1200 },
  { code: '0730', display: 'EKG/ECG (electrocardiogram) - general classification', min: 80, max: 300 },
];

const outpatientCenters: readonly RevenueCenter[] = [
  { code: '0450', display: 'Emergency room - general classification', hcpcs: ['99284', 'Emergency dept visit'], min: 600, max: 1800 },
  { code: '0300', display: 'Laboratory - general classification', hcpcs: ['80053', 'Comprehen metabolic panel'], min: 60, max: 250 },
  { code: '0320', display: 'Radiology - Diagnostic - general classification', hcpcs: ['71046', 'X-ray exam chest 2 views'], min: 120, max: 450 },
  { code: '0510', display: 'Clinic - general classification', hcpcs: ['G0463', 'Hospital outpt clinic visit'], min: 150, max: 400 },
  { code: '0636', display: 'Drugs requiring detailed coding', hcpcs: ['J1885', 'Ketorolac tromethamine inj'], min: 20, max: 90 },
];

const adjudicationSystem = 'http://terminology.hl7.org/CodeSystem/adjudication';
const emergencyAdmission =
  'Emergency - The patient required immediate medical intervention as a result of severe, life threatening, or potentially disabling ' +
  'conditions. Generally, the patient was admitted through the emergency room.';
const partARecord = 'Part A institutional claim record (inpatient [IP], skilled nursing facility [SNF], hospice [HOS], or home health agency [HHA])';

const profiles: Record<InstitutionalKind, string> = {
  inpatient: 'C4BB-ExplanationOfBenefit-Inpatient-Institutional',
  outpatient: 'C4BB-ExplanationOfBenefit-Outpatient-Institutional',
};

const nchTypes: Record<InstitutionalKind, [string, string]> = {
  inpatient: ['60', 'Inpatient claim'],
  outpatient: ['40', 'Hospital Outpatient claim'],
};

/** The stay's length in days: a count, so `usedUnsignedInt` rather than money. */
function utilizationDays(days: number) {
  const type = { coding: [coding(`${bbCodeSystem}/benefit-balance`, `${bbVariables}/clm_utlztn_day_cnt`, 'Claim Medicare Utilization Day Count')] };
  return { type, usedUnsignedInt: days };
}

function providerOrganization(random: Random) {
  const identifierType = (code: string) => ({ coding: [coding(`${c4bb}/CodeSystem/C4BBIdentifierType`, code)] });
  return {
    resourceType: 'Organization',
    id: 'provider-org',
    meta: { profile: [`${c4bb}/StructureDefinition/C4BB-Organization`] },
    identifier: [
      { type: identifierType('payerid'), value: digitString(random, 6) },
      { type: identifierType('npi'), system: 'http://hl7.org/fhir/sid/us-npi', value: syntheticNpi(random) },
    ],
  };
}

function revenueLines(random: Random, centers: readonly RevenueCenter[], count: number, serviceDate: string) {
  const chosen = shuffled(random, centers).slice(0, count);
  return chosen.map((center, index) => {
    const charge = money(random, center.min, center.max);
    const quantity = between(random, 1, 4);
    return {
      charge,
      item: {
        sequence: index + 1,
        revenue: { coding: [variableCoding('rev_cntr', center.code, center.display)] },
        ...(center.hcpcs ? { productOrService: { coding: [coding(`${bbCodeSystem}/hcpcs`, center.hcpcs[0], center.hcpcs[1])] } } : {}),
        servicedDate: serviceDate,
        locationAddress: { state: String(between(random, 1, 52)).padStart(2, '0') },
        quantity: { value: quantity },
        adjudication: [
          adjudication(adjudicationSystem, 'submitted', 'Submitted Amount', 'rev_cntr_tot_chrg_amt', 'Revenue Center Total Charge Amount', charge),
          adjudication(adjudicationSystem, 'noncovered', 'Noncovered', 'rev_cntr_ncvrd_chrg_amt', 'Revenue Center Non-Covered Charge Amount', 0),
        ],
      },
    };
  });
}

/** A hospital stay (`inpatient`, Part A) or visit (`outpatient`, Part B) with 2 to 5 revenue-center lines. */
export function createInstitutionalEob(seed: ClaimSeed, kind: InstitutionalKind): Record<string, unknown> {
  const { random, patientId } = seed;
  const lengthOfStay = kind === 'inpatient' ? between(random, 2, 9) : 0;
  const endDay = seed.serviceDay + lengthOfStay;
  const lines = revenueLines(random, kind === 'inpatient' ? inpatientCenters : outpatientCenters, between(random, 2, 5), dayToDate(seed.serviceDay));
  const totalCharge = sum(lines.map((line) => line.charge));
  // Medicare pays a fraction of charges (DRG for stays, APC for visits); the rest is adjusted off.
  const payment = Math.round(totalCharge * (kind === 'inpatient' ? 0.45 : 0.3) * 100) / 100;
  const processing = {
    sequence: 0,
    category: infoCategory('nch_wkly_proc_dt', 'NCH Weekly Claim Processing Date'),
    timingDate: dayToDate(processedDay(seed, endDay)),
  };
  const admission = { coding: [coding(`${c4bb}/CodeSystem/C4BBSupportingInfoType`, 'admissionperiod', 'Admission Period')] };
  const supportingInfo =
    kind === 'inpatient'
      ? [
          infoCode(1, 'nch_ptnt_stus_ind_cd', 'NCH Patient Status Indicator Code', 'A', 'Discharged'),
          infoCode(2, 'clm_ip_admsn_type_cd', 'Claim Inpatient Admission Type Code', '1', emergencyAdmission),
          { sequence: 3, category: admission, timingPeriod: billablePeriod(seed.serviceDay, endDay) },
          { ...processing, sequence: 4 },
        ]
      : [{ ...processing, sequence: 1 }];
  return {
    resourceType: 'ExplanationOfBenefit',
    id: `${kind}-${seed.claimId}`,
    meta: eobMeta(seed, profiles[kind]),
    contained: [providerOrganization(random)],
    extension: [
      variableExtension('nch_near_line_rec_ident_cd', 'V', partARecord),
      variableExtension('claim_query_cd', '3', 'Final bill'),
    ],
    identifier: claimIdentifiers(seed, 'clm_id'),
    status: 'active',
    type: eobType(nchTypes[kind], kind.toUpperCase(), ['institutional', 'Institutional']),
    use: 'claim',
    patient: { reference: `Patient/${patientId}` },
    billablePeriod: billablePeriod(seed.serviceDay, endDay),
    provider: { reference: '#provider-org' },
    facility: { extension: [variableExtension('clm_fac_type_cd', '1', 'Hospital')] },
    careTeam: [
      {
        sequence: 1,
        provider: npiIdentifier(syntheticNpi(random)),
        role: { coding: [coding(`${c4bb}/CodeSystem/C4BBClaimCareTeamRole`, 'attending', 'Attending')] },
      },
    ],
    supportingInfo,
    diagnosis: claimDiagnoses(random, between(random, 1, 3)),
    insurance: [coverageReference(kind === 'inpatient' ? 'a' : 'b', patientId)],
    item: lines.map((line) => line.item),
    total: [{ category: { coding: [coding(adjudicationSystem, 'submitted', 'Submitted Amount')] }, amount: usd(totalCharge) }],
    payment: { amount: usd(payment) },
    benefitBalance: medicalCareBalance([
      usedMoney('clm_pass_thru_per_diem_amt', 'Claim Pass Thru Per Diem Amount', 0),
      ...(kind === 'inpatient' ? [utilizationDays(lengthOfStay)] : []),
    ]),
  };
}
