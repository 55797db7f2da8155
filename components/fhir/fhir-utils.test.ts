import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatRequestBody,
  getOperationOutcomeIssues,
  isBulkExportPath,
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

describe('isBulkExportPath', () => {
  it('spots kick-off paths', () => {
    expect(isBulkExportPath('/api/v2/Patient/$export?_type=Patient')).toBe(true);
    expect(isBulkExportPath('/api/v2/Group/all/$export')).toBe(true);
    expect(isBulkExportPath('/api/v2/metadata')).toBe(false);
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
