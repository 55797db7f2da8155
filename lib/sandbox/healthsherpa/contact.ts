import 'server-only';
/**
 * A Partner API v2 contact and the create-contact validation. Field rules are the docs' (PROVIDERS.md §5:
 * `birth_date` in four formats, 10-digit `phone`, `sex` as male/female/M/F/m/f; `external_id`, `first_name` and
 * `last_name` required); messages are Rails' `Validation failed: … can't be blank` style.
 */

export interface Contact {
  id: string;
  slug: string;
  external_id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  /** Normalised to YYYY-MM-DD. */
  birth_date: string | null;
  sex: 'male' | 'female' | null;
  email: string | null;
  /** 10 digits. */
  phone: string | null;
  /** A Medicare Beneficiary Identifier, 11 characters without dashes. */
  medicare_number: string | null;
  zip_code: string | null;
  drugs: unknown[];
  pharmacies: unknown[];
  providers: unknown[];
  created_at: string;
  updated_at: string;
}

/** What a create request supplies; the server adds id, slug and timestamps. */
export type ContactInput = Omit<Contact, 'id' | 'slug' | 'created_at' | 'updated_at'>;

export type ContactInputResult =
  | { ok: true; value: ContactInput }
  | { ok: false; status: 400 | 422; code: 'parameter_missing' | 'validation_error'; message: string };

// MBI format (CMS): position 1 a digit 1-9, letters exclude S, L, O, I, B and Z.
const mbiPattern = /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/;

function validDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1900 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** MM/DD/YYYY, MM-DD-YYYY, YYYY-MM-DD or YYYY/MM/DD → YYYY-MM-DD; undefined when it is none of them. */
export function normalizeBirthDate(value: string): string | undefined {
  const us = /^(\d{2})([/-])(\d{2})\2(\d{4})$/.exec(value);
  const iso = /^(\d{4})([/-])(\d{2})\2(\d{2})$/.exec(value);
  const [year, month, day] = us ? [us[4], us[1], us[3]] : iso ? [iso[1], iso[3], iso[4]] : [];
  if (!year || !month || !day || !validDate(Number(year), Number(month), Number(day))) return undefined;
  return `${year}-${month}-${day}`;
}

/** Digits only, when they are exactly ten (formatting characters are dropped first). */
export function normalizePhone(value: string): string | undefined {
  const digits = value.replace(/[\s().+-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/** An MBI without dashes or spaces, upper-cased, when it has the MBI format; undefined otherwise. */
export function normalizeMedicareNumber(value: string): string | undefined {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  return mbiPattern.test(compact) ? compact : undefined;
}

function normalizeSex(value: string): 'male' | 'female' | undefined {
  if (['male', 'M', 'm'].includes(value)) return 'male';
  if (['female', 'F', 'f'].includes(value)) return 'female';
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `{"contact": {…}}`. No `contact` object is Rails' 400 ParameterMissing; invalid fields are a 422 that
 * lists every problem. Unknown keys are ignored, as strong parameters do.
 */
export function parseContactInput(body: unknown): ContactInputResult {
  const contact = isRecord(body) ? body.contact : undefined;
  if (!isRecord(contact) || Object.keys(contact).length === 0) {
    return { ok: false, status: 400, code: 'parameter_missing', message: 'param is missing or the value is empty: contact' };
  }
  const problems: string[] = [];
  // Rails casts a number to a string column; anything else is not a value for it.
  const text = (key: string): string | undefined => {
    const value = contact[key];
    if (typeof value === 'number') return String(value);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const required = (key: string, label: string): string => {
    const value = text(key);
    if (value === undefined) problems.push(`${label} can't be blank`);
    return value ?? '';
  };
  const optional = <T>(key: string, label: string, normalize: (value: string) => T | undefined, problem = 'is invalid'): T | null => {
    const value = text(key);
    if (value === undefined) return null;
    const normalized = normalize(value);
    if (normalized === undefined) problems.push(`${label} ${problem}`);
    return normalized ?? null;
  };
  const list = (key: string, label: string): unknown[] => {
    const value = contact[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isRecord)) {
      problems.push(`${label} must be a list of objects`);
      return [];
    }
    return value;
  };

  const value: ContactInput = {
    external_id: required('external_id', 'External'),
    first_name: required('first_name', 'First name'),
    middle_name: optional('middle_name', 'Middle name', (v) => v),
    last_name: required('last_name', 'Last name'),
    birth_date: optional('birth_date', 'Birth date', normalizeBirthDate),
    sex: optional('sex', 'Sex', normalizeSex, 'is not included in the list'),
    email: optional('email', 'Email', (v) => (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? v : undefined)),
    phone: optional('phone', 'Phone', normalizePhone, 'must be 10 digits'),
    medicare_number: optional('medicare_number', 'Medicare number', normalizeMedicareNumber),
    zip_code: optional('zip_code', 'Zip code', (v) => (/^\d{5}$/.test(v) ? v : undefined)),
    drugs: list('drugs', 'Drugs'),
    pharmacies: list('pharmacies', 'Pharmacies'),
    providers: list('providers', 'Providers'),
  };
  for (const [key, label] of [['first_name', 'First name'], ['last_name', 'Last name'], ['middle_name', 'Middle name']] as const) {
    const field = value[key];
    if (field && field.length > 100) problems.push(`${label} is too long (maximum is 100 characters)`);
  }
  if (value.external_id.length > 255) problems.push('External is too long (maximum is 255 characters)');
  if (problems.length > 0) {
    return { ok: false, status: 422, code: 'validation_error', message: `Validation failed: ${problems.join(', ')}` };
  }
  return { ok: true, value };
}

function slugPart(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, '-') || 'contact'
  );
}

/** `first-last-xxxxxx`: readable, and unique through the id's first hex digits. */
export function contactSlug(firstName: string, lastName: string, id: string): string {
  return `${slugPart(firstName)}-${slugPart(lastName)}-${id.replace(/-/g, '').slice(0, 6)}`;
}
