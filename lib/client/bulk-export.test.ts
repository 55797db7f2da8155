import { describe, expect, it } from 'vitest';
import {
  bulkManifestSchema,
  getFileName,
  parseExpiresHeader,
  parseXProgress,
} from './bulk-export';

describe('parseXProgress', () => {
  it('reads BCDA’s code form', () => {
    expect(parseXProgress('In Progress (42%)')).toEqual({ label: 'In Progress (42%)', percent: 42 });
  });
  it('reads the documented form', () => {
    expect(parseXProgress('In Progress, 80%').percent).toBe(80);
  });
  it('treats Pending as 0', () => {
    expect(parseXProgress('Pending')).toEqual({ label: 'Pending', percent: 0 });
  });
  it('has no percentage for a bare In Progress', () => {
    expect(parseXProgress('In Progress').percent).toBeNull();
  });
  it('handles a missing header', () => {
    expect(parseXProgress(undefined)).toEqual({ label: 'In progress', percent: null });
  });
  it('clamps', () => {
    expect(parseXProgress('250%').percent).toBe(100);
  });
});

describe('parseExpiresHeader', () => {
  it('reads Go’s time format', () => {
    const parsed = parseExpiresHeader('2026-08-22 20:44:01.705398 +0000 UTC');
    expect(parsed).toEqual({ time: Date.UTC(2026, 7, 22, 20, 44, 1, 705), httpDate: false });
  });
  it('applies an offset', () => {
    expect(parseExpiresHeader('2026-08-22 20:44:01 -0500 EST')?.time).toBe(Date.UTC(2026, 7, 23, 1, 44, 1));
  });
  it('recognises an HTTP-date', () => {
    expect(parseExpiresHeader('Sat, 22 Aug 2026 20:44:01 GMT')).toEqual({
      time: Date.UTC(2026, 7, 22, 20, 44, 1),
      httpDate: true,
    });
  });
  it('returns null time for garbage and null for absence', () => {
    expect(parseExpiresHeader('tomorrow')).toEqual({ time: null, httpDate: false });
    expect(parseExpiresHeader(undefined)).toBeNull();
  });
});

describe('bulkManifestSchema', () => {
  it('accepts BCDA’s manifest with its extra JobID', () => {
    const parsed = bulkManifestSchema.parse({
      transactionTime: '2026-12-09T20:44:01.705398Z',
      request: 'https://sandbox.bcda.cms.gov/api/v2/Group/all/$export',
      requiresAccessToken: true,
      output: [{ type: 'Patient', url: 'https://sandbox.bcda.cms.gov/data/42/a.ndjson' }],
      JobID: 42,
    });
    expect(parsed.error).toEqual([]);
    expect(parsed.output).toHaveLength(1);
  });
});

describe('getFileName', () => {
  it('takes the last path segment', () => {
    expect(getFileName('https://x.test/data/42/abc.ndjson?sig=1')).toBe('abc.ndjson');
  });
});
