import 'server-only';
import {
  billablePeriod,
  claimDiagnoses,
  claimIdentifiers,
  coverageReference,
  eobMeta,
  eobType,
  processedDay,
  splitAllowed,
  sum,
  syntheticNpi,
  type ClaimSeed,
} from './claim-common';
import { between } from '../shared/hash';
import { money, pick } from './deterministic';
import {
  adjudication,
  bbCodeSystem,
  bbVariables,
  c4bb,
  coding,
  dayToDate,
  infoCategory,
  medicalCareBalance,
  npiIdentifier,
  usd,
  usedMoney,
  variableCoding,
  variableExtension,
} from './fhir-codes';

const services: ReadonlyArray<{ code: string; display: string; category: [string, string]; min: number; max: number }> = [
  { code: '99213', display: 'Office/outpatient visit est', category: ['1', 'Medical care'], min: 90, max: 160 },
  { code: '99214', display: 'Office/outpatient visit est', category: ['1', 'Medical care'], min: 140, max: 230 },
  { code: '99203', display: 'Office/outpatient visit new', category: ['1', 'Medical care'], min: 120, max: 200 },
  { code: 'G0439', display: 'Ppps, subseq visit', category: ['1', 'Medical care'], min: 150, max: 210 },
  { code: '80053', display: 'Comprehen metabolic panel', category: ['5', 'Diagnostic laboratory'], min: 15, max: 45 },
  { code: '85025', display: 'Complete cbc w/auto diff wbc', category: ['5', 'Diagnostic laboratory'], min: 10, max: 35 },
  { code: '36415', display: 'Routine venipuncture', category: ['5', 'Diagnostic laboratory'], min: 5, max: 12 },
  { code: '93000', display: 'Electrocardiogram complete', category: ['2', 'Surgery'], min: 20, max: 60 },
  { code: '77085', display: 'Dxa bone density study', category: ['4', 'Diagnostic radiology'], min: 60, max: 140 },
  { code: '71046', display: 'X-ray exam chest 2 views', category: ['4', 'Diagnostic radiology'], min: 30, max: 90 },
];

const placesOfService: ReadonlyArray<[string, string]> = [
  ['11', 'Office'],
  ['22', 'Outpatient Hospital'],
  ['81', 'Independent Laboratory'],
];

const adjudicationSystem = 'http://terminology.hl7.org/CodeSystem/adjudication';
const carinAdjudication = `${c4bb}/CodeSystem/C4BBAdjudication`;
const nearLineCarrier = 'Part B physician/supplier claim record (processed by local carriers; can include DMEPOS services)';
const carrierClaimType = 'Local carrier non-durable medical equipment, prosthetics, orthotics, and supplies (DMEPOS) claim';

/** A Part B physician/supplier ("carrier") claim, shaped like `eob_read_carrier_v2.json`. */
export function createCarrierEob(seed: ClaimSeed): Record<string, unknown> {
  const { random, patientId } = seed;
  const performing = syntheticNpi(random);
  const place = pick(random, placesOfService);
  const diagnosis = claimDiagnoses(random, between(random, 1, 2));
  const lines = Array.from({ length: between(random, 1, 3) }, (_, index) => {
    const service = pick(random, services);
    const submitted = money(random, service.min * 1.5, service.max * 2);
    const allowed = money(random, service.min, service.max);
    const { paid, coinsurance } = splitAllowed(allowed);
    return {
      submitted,
      paid,
      item: {
        sequence: index + 1,
        careTeamSequence: [1],
        diagnosisSequence: [1],
        category: { coding: [variableCoding('line_cms_type_srvc_cd', service.category[0], service.category[1])] },
        productOrService: { coding: [coding(`${bbCodeSystem}/hcpcs`, service.code, service.display)] },
        servicedPeriod: billablePeriod(seed.serviceDay),
        locationCodeableConcept: { coding: [variableCoding('line_place_of_srvc_cd', place[0], place[1])] },
        quantity: { value: 1 },
        adjudication: [
          adjudication(adjudicationSystem, 'submitted', 'Submitted Amount', 'line_sbmtd_chrg_amt', 'Line Submitted Charge Amount', submitted),
          adjudication(adjudicationSystem, 'eligible', 'Eligible Amount', 'line_alowd_chrg_amt', 'Line Allowed Charge Amount', allowed),
          adjudication(adjudicationSystem, 'deductible', 'Deductible', 'line_bene_ptb_ddctbl_amt', 'Line Beneficiary Part B Deductible Amount', 0),
          adjudication(carinAdjudication, 'coinsurance', 'Co-insurance', 'line_coinsrnc_amt', 'Line Beneficiary Coinsurance Amount', coinsurance),
          adjudication(adjudicationSystem, 'benefit', 'Benefit Amount', 'line_nch_pmt_amt', 'Line NCH Medicare Payment Amount', paid),
        ],
      },
    };
  });
  const payment = sum(lines.map((line) => line.paid));
  const weeklyProcessing = processedDay(seed);
  return {
    resourceType: 'ExplanationOfBenefit',
    id: `carrier-${seed.claimId}`,
    meta: eobMeta(seed, 'C4BB-ExplanationOfBenefit-Professional-NonClinician'),
    extension: [
      variableExtension('nch_near_line_rec_ident_cd', 'O', nearLineCarrier),
      { url: `${bbVariables}/carr_num`, valueIdentifier: { system: `${bbVariables}/carr_num`, value: String(between(random, 10000, 99999)) } },
    ],
    identifier: claimIdentifiers(seed, 'clm_id'),
    status: 'active',
    type: eobType(['71', carrierClaimType], 'CARRIER', ['professional', 'Professional']),
    use: 'claim',
    patient: { reference: `Patient/${patientId}` },
    billablePeriod: billablePeriod(seed.serviceDay),
    created: `${dayToDate(weeklyProcessing)}T00:00:00+00:00`,
    referral: npiIdentifier(syntheticNpi(random)),
    disposition: '01',
    careTeam: [
      {
        sequence: 1,
        provider: npiIdentifier(performing),
        role: { coding: [coding(`${c4bb}/CodeSystem/C4BBClaimCareTeamRole`, 'performing', 'Performing provider')] },
      },
    ],
    supportingInfo: [
      { sequence: 1, category: infoCategory('nch_wkly_proc_dt', 'NCH Weekly Claim Processing Date'), timingDate: dayToDate(weeklyProcessing) },
    ],
    diagnosis,
    insurance: [coverageReference('b', patientId)],
    item: lines.map((line) => line.item),
    total: [
      {
        category: {
          coding: [
            coding(adjudicationSystem, 'submitted', 'Submitted Amount'),
            coding(`${bbCodeSystem}/adjudication`, `${bbVariables}/clm_tot_chrg_amt`, 'Claim Total Charge Amount'),
          ],
        },
        amount: usd(sum(lines.map((line) => line.submitted))),
      },
    ],
    payment: { amount: usd(payment) },
    benefitBalance: medicalCareBalance([
      usedMoney('carr_clm_cash_ddctbl_apld_amt', 'Carrier Claim Cash Deductible Applied Amount (sum of all line-level deductible amounts)', 0),
      usedMoney('nch_clm_prvdr_pmt_amt', 'NCH Claim Provider Payment Amount', payment),
    ]),
  };
}
