import { describe, expect, it } from 'vitest';
import { splitAfterSeparators } from './breakable';

describe('splitAfterSeparators', () => {
  it('breaks a URL after each run of separators, never inside a word', () => {
    expect(splitAfterSeparators('https://sandbox.bcda.cms.gov/api/v2/fhir')).toEqual(['https://', 'sandbox.', 'bcda.', 'cms.', 'gov/', 'api/', 'v2/', 'fhir']);
  });

  it('keeps a scope’s resource and permission apart only at their separators', () => {
    expect(splitAfterSeparators('patient/Patient.rs')).toEqual(['patient/', 'Patient.', 'rs']);
  });

  it('splits a UUID at its hyphens and a query at ? & =', () => {
    expect(splitAfterSeparators('2462c96b-6427-4efb')).toEqual(['2462c96b-', '6427-', '4efb']);
    expect(splitAfterSeparators('/Patient?_type=Coverage&_count=10')).toEqual(['/', 'Patient?', '_type=', 'Coverage&', '_count=', '10']);
  });

  it('leaves a value without separators whole, and the text unchanged when joined', () => {
    expect(splitAfterSeparators('vtTSDHHXGY89rXxlXKEXFiSOIz7rnenYm3an0Jsfgg')).toEqual(['vtTSDHHXGY89rXxlXKEXFiSOIz7rnenYm3an0Jsfgg']);
    const url = 'http://127.0.0.1:3160/sandbox/bcda/auth/token';
    expect(splitAfterSeparators(url).join('')).toBe(url);
    expect(splitAfterSeparators('')).toEqual(['']);
  });
});
