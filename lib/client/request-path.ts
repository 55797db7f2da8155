import type { FlowEndpoints } from './effective-flow';
import { toPagingPath } from './bundle';

export type RequestPathCheck =
  | { ok: true }
  | {
      ok: false;
      message: string;
      /** The environment-relative path meant, when the input was a full URL on this environment. */
      suggestion: string | null;
    };

/**
 * Checks what the editor will send before the proxy refuses it: a path relative to the environment, starting with
 * `/`. A full URL pasted from a Bundle or the docs gets its environment-relative form as a suggestion.
 */
export function checkRequestPath(path: string, endpoints: Pick<FlowEndpoints, 'tokenUrl' | 'fhirBaseUrl'>): RequestPathCheck {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed.startsWith('/')) return { ok: true };
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
    const suggestion = /^https?:\/\//i.test(trimmed) ? toPagingPath(trimmed, endpoints) : null;
    return {
      ok: false,
      message: suggestion
        ? 'Full URLs are not sent: the server only calls this environment. Use the path instead.'
        : 'Full URLs are not sent, and this one is not on this environment.',
      suggestion,
    };
  }
  return { ok: false, message: 'A path starts with “/”, relative to the environment.', suggestion: `/${trimmed}` };
}
