import { describe, expect, it } from 'vitest';
import { describeBundle } from './bundle';

describe('describeBundle', () => {
  it('reads type, total, entries and the next link of a searchset', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 37,
      link: [
        { relation: 'self', url: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10' },
        { relation: 'next', url: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10' },
      ],
      entry: Array.from({ length: 10 }, (_, i) => ({ resource: { resourceType: 'ExplanationOfBenefit', id: String(i) } })),
    };
    expect(describeBundle(bundle)).toEqual({
      type: 'searchset',
      total: 37,
      entries: 10,
      next: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir/ExplanationOfBenefit?_count=10&startIndex=10',
    });
  });
  it('has no next link on the last page', () => {
    expect(describeBundle({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: 'x' }] })?.next).toBeNull();
  });
  it('tolerates odd links and entries', () => {
    const summary = describeBundle({ resourceType: 'Bundle', link: [null, { relation: 'next' }, { relation: 'next', url: ' /v2/fhir/Coverage?page=2 ' }], entry: 'x' });
    expect(summary).toEqual({ type: undefined, total: undefined, entries: 0, next: '/v2/fhir/Coverage?page=2' });
  });
  it('is null for anything but a Bundle', () => {
    expect(describeBundle({ resourceType: 'Patient' })).toBeNull();
    expect(describeBundle('Bundle')).toBeNull();
    expect(describeBundle(undefined)).toBeNull();
  });
});
