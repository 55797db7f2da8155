import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateFhirPath, loadFhirPathEngine, type FhirPathEngine } from './evaluate';

let engine: FhirPathEngine;
beforeAll(async () => {
  engine = await loadFhirPathEngine();
});

const bundle = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 3,
  entry: [
    { resource: { resourceType: 'Patient', id: '-20140000000001', birthDate: '1999-06-01', name: [{ family: 'Doe', given: ['Jane'] }] } },
    { resource: { resourceType: 'Coverage', id: 'part-a--20140000000001', status: 'active' } },
    { resource: { resourceType: 'Coverage', id: 'part-b--20140000000001', status: 'cancelled' } },
  ],
};

describe('evaluateFhirPath over FHIR', () => {
  it('evaluates paths, functions and the R4 model’s ofType()', () => {
    expect(evaluateFhirPath(engine, bundle, 'entry.resource.resourceType')).toEqual({ ok: true, results: ['Patient', 'Coverage', 'Coverage'] });
    expect(evaluateFhirPath(engine, bundle, 'entry.resource.ofType(Coverage).where(status = \'active\').id')).toEqual({
      ok: true,
      results: ['part-a--20140000000001'],
    });
    expect(evaluateFhirPath(engine, bundle, 'entry.resource.ofType(Patient).name.given.first()')).toEqual({ ok: true, results: ['Jane'] });
    expect(evaluateFhirPath(engine, bundle, 'total = entry.count()')).toEqual({ ok: true, results: [true] });
  });

  it('gives an empty result, not an error, for a path that matches nothing', () => {
    expect(evaluateFhirPath(engine, bundle, 'entry.resource.ofType(ExplanationOfBenefit)')).toEqual({ ok: true, results: [] });
  });
});

describe('evaluateFhirPath errors', () => {
  it('reports a syntax error with the 1-based position the parser stopped at', () => {
    const outcome = evaluateFhirPath(engine, bundle, 'entry.resource.where(');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.kind).toBe('syntax');
    expect(outcome.error.column).toBe(22);
    expect(outcome.error.message).toBe('Syntax error at character 22: the expression ends too early.');
  });

  it('keeps a short expectation and names the offending token', () => {
    const outcome = evaluateFhirPath(engine, bundle, 'entry.resource)');
    expect(outcome).toEqual({
      ok: false,
      error: { kind: 'syntax', column: 15, message: "Syntax error at character 15: extraneous input ')' (expected the end)." },
    });
  });

  it('explains a character the lexer does not know', () => {
    const outcome = evaluateFhirPath(engine, bundle, 'entry # 1');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toMatchObject({ kind: 'syntax', column: 7 });
    expect(outcome.error.message).toContain("unexpected character '#'");
  });

  it('turns a parser crash into a syntax error without a position', () => {
    const outcome = evaluateFhirPath(engine, bundle, 'entry..resource');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.kind).toBe('syntax');
    expect(outcome.error.column).toBeUndefined();
    expect(outcome.error.message).toMatch(/^The expression could not be parsed/);
  });

  it('names an unknown function', () => {
    expect(evaluateFhirPath(engine, bundle, 'entry.resource.frobnicate()')).toEqual({
      ok: false,
      error: { kind: 'evaluation', message: 'Unknown function frobnicate() — not a FHIRPath function this engine implements.' },
    });
  });

  it('reports a type error during evaluation', () => {
    const outcome = evaluateFhirPath(engine, bundle, "'abc' + 1");
    expect(outcome).toEqual({ ok: false, error: { kind: 'evaluation', message: 'Evaluation failed: Cannot convert abc to a number' } });
  });

  it('asks for an expression when there is none', () => {
    expect(evaluateFhirPath(engine, bundle, '   ')).toMatchObject({ ok: false, error: { kind: 'syntax' } });
  });

  it('refuses a body that is not JSON', () => {
    expect(evaluateFhirPath(engine, undefined, 'id')).toMatchObject({ ok: false, error: { kind: 'input' } });
    expect(evaluateFhirPath(engine, 'plain text', 'id')).toMatchObject({ ok: false, error: { kind: 'input' } });
  });
});

describe('evaluateFhirPath over non-FHIR JSON', () => {
  const candidPage = { items: [{ encounter_id: 'e1', claim_status: 'paid' }, { encounter_id: 'e2', claim_status: 'denied' }], next_page_token: 'abc' };

  it('navigates plain JSON (Candid, HealthSherpa) by property names', () => {
    expect(evaluateFhirPath(engine, candidPage, 'items.count()')).toEqual({ ok: true, results: [2] });
    expect(evaluateFhirPath(engine, candidPage, "items.where(claim_status = 'paid').encounter_id")).toEqual({ ok: true, results: ['e1'] });
  });

  it('runs over a top-level array', () => {
    expect(evaluateFhirPath(engine, [{ id: 1 }, { id: 2 }], 'id')).toEqual({ ok: true, results: [1, 2] });
  });

  it('answers empty for FHIR paths that do not fit', () => {
    expect(evaluateFhirPath(engine, candidPage, 'Patient.name')).toEqual({ ok: true, results: [] });
  });
});

describe('evaluateFhirPath over a single resource', () => {
  it('reads resourceType and id at the root', () => {
    const resource = { resourceType: 'CapabilityStatement', id: 'bcda', meta: { lastUpdated: '2026-08-21T20:44:01Z' } };
    expect(evaluateFhirPath(engine, resource, 'resourceType')).toEqual({ ok: true, results: ['CapabilityStatement'] });
    expect(evaluateFhirPath(engine, resource, 'meta.lastUpdated')).toEqual({ ok: true, results: ['2026-08-21T20:44:01Z'] });
  });
});
