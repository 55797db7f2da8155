import { describe, expect, it } from 'vitest';
import { describeBundle, toPagingPath, toPagingPaths, UNTYPED_ENTRY } from './bundle';

const bbBase = 'http://127.0.0.1:3000/sandbox/bluebutton/v2/fhir';
const eobSearch = `${bbBase}/ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&_count=10&patient=-20140000000001`;

describe('describeBundle', () => {
  it('reads type, total, entries and every paging link of a middle page', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: 37,
      link: [
        { relation: 'first', url: `${eobSearch}&startIndex=0` },
        { relation: 'previous', url: `${eobSearch}&startIndex=0` },
        { relation: 'next', url: `${eobSearch}&startIndex=20` },
        { relation: 'last', url: `${eobSearch}&startIndex=30` },
        { relation: 'self', url: `${eobSearch}&startIndex=10` },
      ],
      entry: Array.from({ length: 10 }, (_, i) => ({ resource: { resourceType: 'ExplanationOfBenefit', id: String(i) } })),
    };
    expect(describeBundle(bundle)).toEqual({
      type: 'searchset',
      total: 37,
      entries: 10,
      resourceTypes: [{ resourceType: 'ExplanationOfBenefit', count: 10 }],
      links: {
        first: `${eobSearch}&startIndex=0`,
        previous: `${eobSearch}&startIndex=0`,
        next: `${eobSearch}&startIndex=20`,
        last: `${eobSearch}&startIndex=30`,
      },
      offset: 10,
    });
  });

  it('knows which entries a page holds only when its self link says where it starts', () => {
    const page = (self: string) => describeBundle({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: self }], entry: [{}] })?.offset;
    expect(page(`${eobSearch}&startIndex=20`)).toBe(20);
    expect(page('Patient?_getpagesoffset=40&_count=20')).toBe(40);
    expect(page('https://hapi.example/fhir?_offset=5')).toBe(5);
    expect(page(`${eobSearch}`)).toBeNull();
    expect(page(`${eobSearch}&startIndex=-3`)).toBeNull();
    expect(describeBundle({ resourceType: 'Bundle', type: 'searchset', entry: [] })?.offset).toBeNull();
  });

  it('has no next link on the last page and no previous link on the first', () => {
    const last = describeBundle({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'previous', url: 'p' }, { relation: 'self', url: 'x' }] });
    expect(last?.links.next).toBeNull();
    expect(last?.links.previous).toBe('p');
    const first = describeBundle({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'n' }] });
    expect(first?.links.previous).toBeNull();
    expect(first?.links.next).toBe('n');
  });

  it('takes the older `prev` relation for previous', () => {
    expect(describeBundle({ resourceType: 'Bundle', link: [{ relation: 'prev', url: '/v2/fhir/Coverage?page=1' }] })?.links.previous).toBe(
      '/v2/fhir/Coverage?page=1',
    );
  });

  it('tolerates odd links and entries', () => {
    const summary = describeBundle({
      resourceType: 'Bundle',
      link: [null, { relation: 'next' }, { relation: 'next', url: '   ' }, { relation: 'next', url: ' /v2/fhir/Coverage?page=2 ' }],
      entry: 'x',
    });
    expect(summary).toEqual({
      type: undefined,
      total: undefined,
      entries: 0,
      resourceTypes: [],
      links: { first: null, previous: null, next: '/v2/fhir/Coverage?page=2', last: null },
      offset: null,
    });
  });

  it('counts entries by resourceType, most first, and entries without a resource apart', () => {
    const summary = describeBundle({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: { resourceType: 'Patient' } },
        { resource: { resourceType: 'OperationOutcome' }, search: { mode: 'outcome' } },
        { resource: { resourceType: 'Patient' } },
        { request: { method: 'DELETE' } },
        null,
      ],
    });
    expect(summary?.entries).toBe(5);
    expect(summary?.resourceTypes).toEqual([
      { resourceType: 'Patient', count: 2 },
      { resourceType: UNTYPED_ENTRY, count: 2 },
      { resourceType: 'OperationOutcome', count: 1 },
    ]);
  });

  it('is null for anything but a Bundle', () => {
    expect(describeBundle({ resourceType: 'Patient' })).toBeNull();
    expect(describeBundle('Bundle')).toBeNull();
    expect(describeBundle(undefined)).toBeNull();
  });
});

describe('toPagingPath', () => {
  const builtin = { tokenUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token', fhirBaseUrl: bbBase };
  const remote = { tokenUrl: 'https://sandbox.bluebutton.cms.gov/v2/o/token/', fhirBaseUrl: 'https://sandbox.bluebutton.cms.gov/v2/fhir' };

  it('turns an absolute link on the environment into a proxy path, query kept', () => {
    expect(toPagingPath(`${eobSearch}&startIndex=10`, builtin)).toBe(
      '/v2/fhir/ExplanationOfBenefit?_format=application%2Fjson%2Bfhir&_count=10&patient=-20140000000001&startIndex=10',
    );
    expect(toPagingPath('https://sandbox.bluebutton.cms.gov/v2/fhir/Coverage?startIndex=10', remote)).toBe('/v2/fhir/Coverage?startIndex=10');
  });

  it('resolves a relative link against the FHIR base, and an absolute-path link against the origin', () => {
    expect(toPagingPath('ExplanationOfBenefit?startIndex=20', builtin)).toBe('/v2/fhir/ExplanationOfBenefit?startIndex=20');
    expect(toPagingPath('Coverage?page=2', remote)).toBe('/v2/fhir/Coverage?page=2');
    expect(toPagingPath('/v2/fhir/Coverage?page=2', remote)).toBe('/v2/fhir/Coverage?page=2');
  });

  it('follows the built-in sandbox under another loopback name', () => {
    expect(toPagingPath('http://localhost:3000/sandbox/bluebutton/v2/fhir/Patient?startIndex=10', builtin)).toBe(
      '/v2/fhir/Patient?startIndex=10',
    );
  });

  it('refuses links outside the environment', () => {
    expect(toPagingPath('https://evil.example/v2/fhir/ExplanationOfBenefit?startIndex=10', remote)).toBeNull();
    expect(toPagingPath('https://evil.example/v2/fhir/ExplanationOfBenefit?startIndex=10', builtin)).toBeNull();
    expect(toPagingPath('http://localhost:3000/sandbox/bcda/api/v2/metadata', builtin)).toBeNull();
    expect(toPagingPath('javascript:alert(1)', builtin)).toBeNull();
    expect(toPagingPath('http://[bad', builtin)).toBeNull();
  });
});

describe('toPagingPaths', () => {
  it('maps each relation, leaving absent and foreign links null', () => {
    const env = { tokenUrl: 'http://127.0.0.1:3000/sandbox/bluebutton/v2/o/token', fhirBaseUrl: bbBase };
    expect(
      toPagingPaths({ first: `${bbBase}/Coverage?startIndex=0`, previous: null, next: 'https://evil.example/v2/fhir/Coverage?startIndex=20', last: 'Coverage?startIndex=30' }, env),
    ).toEqual({ first: '/v2/fhir/Coverage?startIndex=0', previous: null, next: null, last: '/v2/fhir/Coverage?startIndex=30' });
  });
});
