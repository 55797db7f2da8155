import { describe, expect, it } from 'vitest';
import { getEditDistance } from './edit-distance';

describe('getEditDistance', () => {
  it.each([
    ['', '', 0],
    ['Patient', 'Patient', 0],
    ['', 'Group', 5],
    ['Group', '', 5],
    // One swap of neighbours counts once (plain Levenshtein says 2).
    ['Patinet', 'Patient', 1],
    ['Obsevration', 'Observation', 1],
    ['Patent', 'Patient', 1],
    ['Pattient', 'Patient', 1],
    ['Patiant', 'Patient', 1],
    ['kitten', 'sitting', 3],
    // OSA never edits a swapped pair again (unrestricted Damerau–Levenshtein says 2).
    ['ca', 'abc', 3],
    ['abc', 'xyz', 3],
  ])('%j → %j is %i', (a, b, distance) => {
    expect(getEditDistance(a, b)).toBe(distance);
  });

  it('is symmetric and case-sensitive', () => {
    expect(getEditDistance('patient', 'Patient')).toBe(1);
    expect(getEditDistance('Encoutner', 'Encounter')).toBe(getEditDistance('Encounter', 'Encoutner'));
  });
});
