import { describe, expect, it } from 'vitest';
import { formatQueryParams, parseQueryParams, reconcileQueryParams, splitRequestPath, withQueryParams } from './query-params';

describe('parseQueryParams', () => {
  it('reads rows in order, decoded, repeats kept', () => {
    expect(parseQueryParams('/api/v2/Patient/$export?_type=Patient&_type=Coverage&_since=2024-01-01T00%3A00%3A00%2B00%3A00')).toEqual([
      { key: '_type', value: 'Patient' },
      { key: '_type', value: 'Coverage' },
      { key: '_since', value: '2024-01-01T00:00:00+00:00' },
    ]);
  });
  it('reads `+` as a space, keys without `=`, and skips empty pieces', () => {
    expect(parseQueryParams('/v2/contacts?last_name=Van+Dyke&&flag&=orphan')).toEqual([
      { key: 'last_name', value: 'Van Dyke' },
      { key: 'flag', value: '' },
      { key: '', value: 'orphan' },
    ]);
  });
  it('keeps malformed escapes as written', () => {
    expect(parseQueryParams('/x?q=100%&r=%zz')).toEqual([
      { key: 'q', value: '100%' },
      { key: 'r', value: '%zz' },
    ]);
  });
  it('has no rows without a query', () => {
    expect(parseQueryParams('/v2/fhir/metadata')).toEqual([]);
    expect(parseQueryParams('/v2/fhir/metadata?')).toEqual([]);
  });
});

describe('formatQueryParams and withQueryParams', () => {
  it('encodes what would break the query and leaves FHIR punctuation readable', () => {
    expect(
      formatQueryParams([
        { key: 'type', value: 'https://bluebutton.cms.gov/resources/codesystem/eob-type|carrier,pde' },
        { key: '_since', value: '2024-01-01T00:00:00+00:00' },
        { key: 'name', value: 'a&b=c #1' },
        { key: 'a=b', value: '' },
      ]),
    ).toBe('type=https://bluebutton.cms.gov/resources/codesystem/eob-type|carrier,pde&_since=2024-01-01T00:00:00%2B00:00&name=a%26b=c%20%231&a%3Db=');
  });
  it('leaves out draft rows and drops the `?` when no parameter is left', () => {
    expect(withQueryParams('/v2/fhir/Coverage?_count=5', [{ key: '', value: '' }])).toBe('/v2/fhir/Coverage');
    expect(withQueryParams('/v2/fhir/Coverage', [{ key: '_count', value: '5' }, { key: '', value: '' }])).toBe('/v2/fhir/Coverage?_count=5');
  });
  it('round-trips a parsed path', () => {
    const path = '/v2/fhir/ExplanationOfBenefit?_count=10&type=carrier,pde&startIndex=10';
    expect(withQueryParams(path, parseQueryParams(path))).toBe(path);
  });
  it('splits path and query', () => {
    expect(splitRequestPath('/a?b=1?c')).toEqual({ pathname: '/a', query: 'b=1?c' });
  });
});

describe('reconcileQueryParams', () => {
  it('keeps the editor’s rows while they describe the path, a new empty row included', () => {
    const draft = [{ key: '_count', value: '10' }, { key: '', value: '' }];
    expect(reconcileQueryParams('/v2/fhir/Patient?_count=10', draft)).toBe(draft);
  });
  it('takes the path’s rows after the path was edited by hand', () => {
    const draft = [{ key: '_count', value: '10' }];
    expect(reconcileQueryParams('/v2/fhir/Patient?_count=20&_id=1', draft)).toEqual([
      { key: '_count', value: '20' },
      { key: '_id', value: '1' },
    ]);
  });
  it('treats different encodings of the same query as the same', () => {
    const draft = [{ key: 'type', value: 'carrier,pde' }];
    expect(reconcileQueryParams('/v2/fhir/ExplanationOfBenefit?type=carrier%2Cpde', draft)).toBe(draft);
  });
});
