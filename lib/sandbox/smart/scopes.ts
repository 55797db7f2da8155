import 'server-only';
import { classifyScope } from '@/lib/contract/smart';

/**
 * SMART scopes as this server reads them: v1 (`patient/Observation.read`) and v2 (`patient/Observation.rs`)
 * resource scopes, compared by what they permit, plus the launch and identity scopes it knows.
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

export type ScopeContext = 'patient' | 'user' | 'system';
type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** A resource scope, v1 or v2, as the set of interactions it permits. */
export interface ResourceScope {
  context: ScopeContext;
  /** A resource type or `*`. */
  resource: string;
  permissions: ReadonlySet<Permission>;
}

/** The scopes that are not resource scopes and that this server grants. */
export const identityScopes = ['openid', 'fhirUser', 'profile', 'launch/patient', 'offline_access', 'online_access'] as const;

/** The resource types this server's FHIR API serves. */
export const fhirResourceTypes = ['Patient', 'Observation'] as const;

// v1 → v2: read is "rs", write is "cud", * is all five (scopes-and-launch-context, "Scopes for requesting FHIR resources").
const v1Permissions: Record<string, Permission[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

/** The scope's context, type and permissions, or undefined when it is not a well-formed resource scope. */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const kind = classifyScope(scope);
  if (kind !== 'v1' && kind !== 'v2') return undefined;
  const [context, rest = ''] = scope.split('/') as [ScopeContext, string?];
  const dot = rest.indexOf('.');
  const resource = rest.slice(0, dot);
  const action = rest.slice(dot + 1);
  const permissions = kind === 'v1' ? (v1Permissions[action] ?? []) : ([...action] as Permission[]);
  return { context, resource, permissions: new Set(permissions) };
}

/** Splits a `scope` parameter (RFC 6749 §3.3: space-delimited), dropping repeats. */
export function splitScope(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))];
}

/** Whether `granted` permits everything `requested` asks for (one resource scope inside another, or equal). */
export function scopeCovers(granted: string, requested: string): boolean {
  if (granted === requested) return true;
  const outer = parseResourceScope(granted);
  const inner = parseResourceScope(requested);
  if (!outer || !inner || outer.context !== inner.context) return false;
  if (outer.resource !== '*' && outer.resource !== inner.resource) return false;
  return [...inner.permissions].every((p) => outer.permissions.has(p));
}

/** Why a requested scope cannot be granted, in plain words, or undefined when it can. */
export function scopeProblem(scope: string, registered: readonly string[]): string | undefined {
  const resource = parseResourceScope(scope);
  if (!resource) {
    if (/^(patient|user|system)\//.test(scope)) {
      if (scope.includes('?')) return `"${scope}" uses a query-restricted scope, which this server does not support.`;
      return `"${scope}" is not a SMART scope: v2 is context/Type.cruds (letters in that order, e.g. patient/Observation.rs), v1 is context/Type.read|write|*.`;
    }
    if (!(identityScopes as readonly string[]).includes(scope)) return `"${scope}" is not a scope this server knows.`;
  }
  if (!registered.some((own) => scopeCovers(own, scope))) {
    return `"${scope}" is outside the scope this client is registered for (${registered.join(' ') || 'none'}).`;
  }
  return undefined;
}

/**
 * Whether the granted scopes allow `permission` (`r` read, `s` search) on `resourceType` in one of `contexts`.
 * v1 and v2 scopes both count (a server supporting both maps v1 onto v2).
 */
export function permits(granted: readonly string[], contexts: readonly ScopeContext[], resourceType: string, permission: 'r' | 's'): boolean {
  return granted.some((scope) => {
    const parsed = parseResourceScope(scope);
    return (
      parsed !== undefined &&
      contexts.includes(parsed.context) &&
      (parsed.resource === '*' || parsed.resource === resourceType) &&
      parsed.permissions.has(permission)
    );
  });
}
