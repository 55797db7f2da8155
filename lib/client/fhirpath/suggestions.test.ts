import { describe, expect, it } from 'vitest';
import { suggestFhirPathExpressions } from './suggestions';

describe('suggestFhirPathExpressions', () => {
  it('offers entry types and the first entry type’s ids for a Bundle', () => {
    expect(
      suggestFhirPathExpressions({ resourceType: 'Bundle', entry: [{ search: {} }, { resource: { resourceType: 'ExplanationOfBenefit' } }] }),
    ).toEqual(['entry.resource.resourceType', 'entry.resource.ofType(ExplanationOfBenefit).id', 'entry.count()']);
    expect(suggestFhirPathExpressions({ resourceType: 'Bundle' })).toEqual(['entry.resource.resourceType', 'entry.count()']);
  });
  it('offers its type, id and meta for a single resource', () => {
    expect(suggestFhirPathExpressions({ resourceType: 'CapabilityStatement' })).toEqual(['resourceType', 'id', 'meta.lastUpdated']);
  });
  it('offers the first list of plain JSON, and otherwise its simple keys', () => {
    expect(suggestFhirPathExpressions({ next_page_token: 'x', items: [] })).toEqual(['items.count()', 'items.first()']);
    expect(suggestFhirPathExpressions({ 'odd-key': 1, success: 'Welcome', sub: 'x', more: 2 })).toEqual(['success', 'sub']);
    expect(suggestFhirPathExpressions([1, 2])).toEqual(['count()']);
  });
  it('offers nothing for non-JSON bodies', () => {
    expect(suggestFhirPathExpressions('text')).toEqual([]);
    expect(suggestFhirPathExpressions(null)).toEqual([]);
  });
});
