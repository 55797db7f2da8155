/** The parts of @asymmetrik/fhir-json-schema-validator (no types of its own) the R4 fidelity test uses. */
declare module '@asymmetrik/fhir-json-schema-validator' {
  export default class JSONSchemaValidator {
    constructor(schema?: Record<string, unknown>, ajvSettings?: Record<string, unknown>);
    readonly ajv: { compile(schema: Record<string, unknown>): (data: unknown) => boolean };
    readonly schema: Record<string, unknown>;
    validate(resource: unknown, verbose?: boolean): unknown[];
  }
}
