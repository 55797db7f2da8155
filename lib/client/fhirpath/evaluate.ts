import type fhirpathLibrary from 'fhirpath';
import type { Model } from 'fhirpath';

/** The `fhirpath` package and the FHIR model its type-aware functions (`ofType(Patient)`, choice types) read. */
export interface FhirPathEngine {
  library: typeof fhirpathLibrary;
  model: Model;
}

/**
 * Loads the engine on first use: the package and its R4 model are a few hundred kB the page needs only when
 * someone evaluates an expression, so they come in their own chunk.
 */
export async function loadFhirPathEngine(): Promise<FhirPathEngine> {
  const [library, model] = await Promise.all([import('fhirpath'), import('fhirpath/fhir-context/r4')]);
  return { library: library.default, model: model.default };
}

export interface FhirPathError {
  /** `syntax`: the expression does not parse; `evaluation`: it parses but fails on this input; `input`: nothing to evaluate. */
  kind: 'syntax' | 'evaluation' | 'input';
  message: string;
  /** 1-based character of the expression the parser stopped at, when it said. */
  column?: number;
}

export type FhirPathOutcome = { ok: true; results: unknown[] } | { ok: false; error: FhirPathError };

/** The parser's errors come one per line as `line: 1; column: 21; message: mismatched input '<EOF>' expecting {…}`. */
const PARSER_ERROR = /^line: (\d+); column: (\d+); message: (.*)$/;
// A token set longer than this says nothing a person can use.
const MAX_EXPECTED_LENGTH = 60;

/**
 * Evaluates a FHIRPath expression over a JSON value (a response body) and never throws: a bad expression comes
 * back as an error with the position the parser gave, a failing function as an evaluation error, and the results
 * as plain JSON values (FHIRPath's dates and quantities as strings and objects).
 * @see https://hl7.org/fhirpath/N1/
 */
export function evaluateFhirPath(engine: FhirPathEngine, input: unknown, expression: string): FhirPathOutcome {
  if (expression.trim() === '') return { ok: false, error: { kind: 'syntax', message: 'Enter an expression, e.g. entry.resource.resourceType' } };
  if (input === undefined || input === null || typeof input !== 'object') {
    return { ok: false, error: { kind: 'input', message: 'FHIRPath runs over a JSON object or array; this response has none.' } };
  }

  let compiled: (resource: unknown) => unknown;
  try {
    compiled = engine.library.compile(expression, engine.model) as (resource: unknown) => unknown;
  } catch (error) {
    return { ok: false, error: describeSyntaxError(error) };
  }

  let raw: unknown;
  try {
    raw = compiled(input);
  } catch (error) {
    return { ok: false, error: describeEvaluationError(error) };
  }
  if (!Array.isArray(raw)) {
    return { ok: false, error: { kind: 'evaluation', message: 'The expression needs asynchronous evaluation (resolve(), memberOf()), which the workbench does not run.' } };
  }
  return { ok: true, results: toJsonValues(raw) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeSyntaxError(error: unknown): FhirPathError {
  const message = messageOf(error);
  const first = message.split('\n').map((line) => PARSER_ERROR.exec(line.trim())).find((match) => match !== null);
  if (!first) {
    // The parser itself broke (e.g. on `a..b` it throws a TypeError): still a syntax problem, without a position.
    return { kind: 'syntax', message: `The expression could not be parsed (${message}).` };
  }
  const column = Number(first[2]) + 1;
  return { kind: 'syntax', message: `Syntax error at character ${column}: ${humanizeParserMessage(first[3] ?? '')}.`, column };
}

/** `mismatched input '<EOF>' expecting {'+', …}` → `the expression ends too early`; long token sets are dropped. */
function humanizeParserMessage(message: string): string {
  const trimmed = message.replace(/ expecting (\{[^}]*\}|\S+)$/, (whole, expected: string) =>
    expected.length > MAX_EXPECTED_LENGTH ? '' : ` (expected ${expected.replace(/<EOF>/g, 'the end')})`,
  );
  if (/^mismatched input '<EOF>'/.test(trimmed)) return trimmed.replace(/^mismatched input '<EOF>'/, 'the expression ends too early');
  return trimmed.replace(/'<EOF>'/g, 'the end').replace(/^token recognition error at: /, 'unexpected character ');
}

function describeEvaluationError(error: unknown): FhirPathError {
  const message = messageOf(error);
  const unknownFunction = /^Not implemented: (.+)$/.exec(message);
  if (unknownFunction) {
    return { kind: 'evaluation', message: `Unknown function ${unknownFunction[1]}() — not a FHIRPath function this engine implements.` };
  }
  return { kind: 'evaluation', message: `Evaluation failed: ${message}` };
}

/** Drops what JSON cannot carry (the engine resolves its own types to strings, but a stray class must not reach React). */
function toJsonValues(values: readonly unknown[]): unknown[] {
  return values.map((value) => {
    try {
      return JSON.parse(JSON.stringify(value)) as unknown;
    } catch {
      return String(value);
    }
  });
}
