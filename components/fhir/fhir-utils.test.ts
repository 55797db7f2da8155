import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatRequestBody,
  findOperationOutcomeIssues,
  getOperationOutcomeIssues,
  summarizeResource,
} from './fhir-utils';

describe('getOperationOutcomeIssues', () => {
  it('reads BCDA’s error body', () => {
    const issues = getOperationOutcomeIssues({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'Invalid Token', details: { text: 'Invalid Token' } }],
    });
    expect(issues).toEqual([
      { severity: 'error', code: 'forbidden', diagnostics: 'Invalid Token', details: { text: 'Invalid Token' } },
    ]);
  });
  it('ignores other resources', () => {
    expect(getOperationOutcomeIssues({ resourceType: 'CapabilityStatement' })).toBeNull();
    expect(getOperationOutcomeIssues('text')).toBeNull();
  });
});

describe('summarizeResource', () => {
  it('reads type and id', () => {
    expect(summarizeResource({ resourceType: 'Patient', id: '-1234' })).toEqual({ resourceType: 'Patient', id: '-1234' });
    expect(summarizeResource([1])).toEqual({});
  });
});

describe('formatting', () => {
  it('formats bytes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatDuration(184.4)).toBe('184 ms');
    expect(formatDuration(1420)).toBe('1.42 s');
  });
});

describe('formatRequestBody', () => {
  it('pretty-prints a JSON example body', () => {
    expect(formatRequestBody('{"contact":{"external_id":"CRM123"}}')).toBe('{\n  "contact": {\n    "external_id": "CRM123"\n  }\n}');
  });
  it('keeps other bodies and maps none to empty', () => {
    expect(formatRequestBody('a=b')).toBe('a=b');
    expect(formatRequestBody(undefined)).toBe('');
  });
});

describe('getOperationOutcomeIssues, leniently', () => {
  it('keeps the good issues of an odd OperationOutcome and fills missing fields', () => {
    const issues = getOperationOutcomeIssues({
      resourceType: 'OperationOutcome',
      issue: [null, 'text', { code: 'not-found', diagnostics: 404, expression: ['Patient.id', 7] }, { severity: 'warning', details: { text: 1 } }],
    });
    expect(issues).toEqual([
      { severity: 'error', code: 'not-found', diagnostics: '404', expression: ['Patient.id'] },
      { severity: 'warning', code: 'unknown', details: { text: undefined } },
    ]);
  });
  it('takes a single issue object for an array and an unreadable issue as none', () => {
    expect(getOperationOutcomeIssues({ resourceType: 'OperationOutcome', issue: { severity: 'fatal', code: 'exception' } })).toEqual([
      { severity: 'fatal', code: 'exception' },
    ]);
    expect(getOperationOutcomeIssues({ resourceType: 'OperationOutcome', issue: 'broken' })).toEqual([]);
    expect(getOperationOutcomeIssues({ resourceType: 'OperationOutcome' })).toEqual([]);
  });
  it('is null for non-OperationOutcome bodies', () => {
    expect(getOperationOutcomeIssues({ issue: [{ severity: 'error', code: 'x' }] })).toBeNull();
    expect(getOperationOutcomeIssues(null)).toBeNull();
    expect(getOperationOutcomeIssues([{ resourceType: 'OperationOutcome', issue: [] }])).toBeNull();
  });
});

describe('findOperationOutcomeIssues', () => {
  it('reads the body’s own OperationOutcome', () => {
    expect(findOperationOutcomeIssues({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] })).toEqual({
      issues: [{ severity: 'error', code: 'forbidden' }],
      inBundle: false,
    });
  });
  it('finds outcomes inside a Bundle’s entries and batch responses', () => {
    const found = findOperationOutcomeIssues({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: { resourceType: 'Patient', id: '1' } },
        { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'processing', diagnostics: 'Unknown parameter: foo' }] }, search: { mode: 'outcome' } },
        { response: { status: '404', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] } } },
        'junk',
      ],
    });
    expect(found).toEqual({
      inBundle: true,
      issues: [
        { severity: 'warning', code: 'processing', diagnostics: 'Unknown parameter: foo' },
        { severity: 'error', code: 'not-found' },
      ],
    });
  });
  it('is null for a Bundle without outcomes and for other bodies', () => {
    expect(findOperationOutcomeIssues({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient' } }] })).toBeNull();
    expect(findOperationOutcomeIssues({ resourceType: 'Bundle', entry: 'x' })).toBeNull();
    expect(findOperationOutcomeIssues({ resourceType: 'Patient' })).toBeNull();
    expect(findOperationOutcomeIssues('OperationOutcome')).toBeNull();
  });
});
