import 'server-only';

const disabledValues = new Set(['off', 'false', '0']);

/**
 * Whether the built-in sandboxes are served. On by default; `BUILTIN_SANDBOXES=off` (or `false`, `0`) turns
 * them off, e.g. for a deployment that must only talk to real providers.
 */
export function builtinSandboxesEnabled(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.BUILTIN_SANDBOXES?.trim().toLowerCase();
  return value === undefined || !disabledValues.has(value);
}
