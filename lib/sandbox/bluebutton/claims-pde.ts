import 'server-only';
import { coverageReference, eobMeta, eobType, syntheticNpi, type ClaimSeed } from './claim-common';
import { between } from '../shared/hash';
import { digitString, money, pick } from './deterministic';
import { bbCodeSystem, bbVariables, c4bb, coding, dayToDate, usd, variableCoding } from './fhir-codes';

const drugs: ReadonlyArray<{ ndc: string; display: string; days: number; quantity: number; min: number; max: number }> = [
  { ndc: '55111015810', display: 'Omeprazole - OMEPRAZOLE', days: 30, quantity: 30, min: 8, max: 25 },
  { ndc: '00071015523', display: 'Lipitor - ATORVASTATIN CALCIUM', days: 90, quantity: 90, min: 12, max: 60 },
  { ndc: '68180051301', display: 'Lisinopril - LISINOPRIL', days: 30, quantity: 30, min: 4, max: 15 },
  { ndc: '00093105801', display: 'Metformin Hydrochloride - METFORMIN HYDROCHLORIDE', days: 30, quantity: 60, min: 4, max: 18 },
  { ndc: '00378018101', display: 'Metoprolol Tartrate - METOPROLOL TARTRATE', days: 30, quantity: 60, min: 5, max: 20 },
  { ndc: '59762332801', display: 'Amlodipine Besylate - AMLODIPINE BESYLATE', days: 90, quantity: 90, min: 6, max: 30 },
  { ndc: '00003089421', display: 'Eliquis - APIXABAN', days: 30, quantity: 60, min: 450, max: 560 },
  { ndc: '00173068220', display: 'Advair Diskus - FLUTICASONE PROPIONATE/SALMETEROL', days: 30, quantity: 60, min: 320, max: 420 },
];

// Part D events name the category system by its ValueSet URL, unlike Part A and B claims.
function pdeInfo(sequence: number, variable: string, display: string, code: string, codeDisplay: string) {
  const category = {
    coding: [
      coding('http://hl7.org/fhir/ValueSet/claim-informationcategory', 'info', 'Information'),
      coding(`${bbCodeSystem}/information`, `${bbVariables}/${variable}`, display),
    ],
  };
  return { sequence, category, code: { coding: [variableCoding(variable, code, codeDisplay)] } };
}

const planPaidDisplay = 'Amount paid by Part D plan for the PDE (drug is covered by Part D)';
const carinAdjudication = `${c4bb}/ValueSet/C4BBAdjudication`;

function pdeAdjudication(variable: string, display: string, carinCode: string, carinDisplay: string, amount: number) {
  return {
    category: {
      coding: [coding(`${bbCodeSystem}/adjudication`, `${bbVariables}/${variable}`, display), coding(carinAdjudication, carinCode, carinDisplay)],
    },
    amount: usd(amount),
  };
}

/** A Part D prescription drug event, shaped like the `pde-…` entries of `eob_search_v2.json`. */
export function createPdeEob(seed: ClaimSeed): Record<string, unknown> {
  const { random, patientId } = seed;
  const drug = pick(random, drugs);
  const totalCost = money(random, drug.min, drug.max);
  const patientPay = Math.min(totalCost, money(random, 0, 12));
  const planPaid = Math.round((totalCost - patientPay) * 100) / 100;
  const pharmacy = { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: syntheticNpi(random) } };
  return {
    resourceType: 'ExplanationOfBenefit',
    id: `pde-${seed.claimId}`,
    meta: eobMeta(seed, 'C4BB-ExplanationOfBenefit-Pharmacy'),
    identifier: [
      { type: { coding: [coding(`${c4bb}/CodeSystem/C4BBIdentifierType`, 'uc')] }, system: `${bbVariables}/pde_id`, value: seed.claimId },
      { system: 'https://bluebutton.cms.gov/resources/identifier/claim-group', value: seed.groupId },
      { system: `${bbVariables}/rx_srvc_rfrnc_num`, value: digitString(random, 11) },
    ],
    status: 'active',
    type: eobType(undefined, 'PDE', ['pharmacy', 'Pharmacy']),
    patient: { reference: `Patient/${patientId}` },
    provider: pharmacy,
    facility: {
      extension: [
        { url: `${bbVariables}/phrmcy_srvc_type_cd`, valueCoding: variableCoding('phrmcy_srvc_type_cd', '01', 'Community/retail pharmacy') },
      ],
      ...pharmacy,
    },
    careTeam: [
      {
        sequence: 1,
        provider: { identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: syntheticNpi(random) } },
        role: { coding: [coding('http://terminology.hl7.org/CodeSystem/claimcareteamrole', 'prescribing', 'Prescribing provider')] },
      },
    ],
    supportingInfo: [
      pdeInfo(1, 'daw_prod_slctn_cd', 'Dispense as Written (DAW) Product Selection Code', '0', 'No Product Selection Indicated (may also have missing values)'),
      pdeInfo(2, 'drug_cvrg_stus_cd', 'Drug Coverage Status Code', 'C', 'Covered'),
      pdeInfo(3, 'rx_orgn_cd', 'Prescription Origination Code', '3', 'Electronic'),
    ],
    insurance: [coverageReference('d', patientId)],
    item: [
      {
        sequence: 1,
        careTeamSequence: [1],
        productOrService: { coding: [coding('http://hl7.org/fhir/sid/ndc', drug.ndc, drug.display)] },
        servicedDate: dayToDate(seed.serviceDay),
        quantity: {
          extension: [
            { url: `${bbVariables}/fill_num`, valueQuantity: { value: between(random, 0, 11) } },
            { url: `${bbVariables}/days_suply_num`, valueQuantity: { value: drug.days } },
          ],
          value: drug.quantity,
        },
        adjudication: [
          pdeAdjudication('cvrd_d_plan_pd_amt', planPaidDisplay, 'benefit', 'Benefit Amount', planPaid),
          pdeAdjudication('ptnt_pay_amt', 'Amount Paid by Patient', 'paidbypatient', 'Paid by patient', patientPay),
          pdeAdjudication('tot_rx_cst_amt', 'Total drug cost (Part D)', 'drugcost', 'Drug cost', totalCost),
        ],
      },
    ],
  };
}
