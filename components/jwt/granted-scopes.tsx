import { Badge } from '@/components/ui/badge';
import { diffScopes, parseScope } from '@/lib/client/scopes';

export interface GrantedScopesProps {
  /** `scope` of the token response as sent, if any. */
  scope: string | undefined;
  /** What the flow asked for, to compare with; null when there is nothing to compare. */
  requested: readonly string[] | null;
}

/** Granted scopes as chips; requested-but-not-granted ones flagged, since requests needing them will be refused. */
export function GrantedScopes({ scope, requested }: GrantedScopesProps) {
  const granted = parseScope(scope);
  const diff = diffScopes(requested ?? [], granted);
  const compare = requested !== null && requested.length > 0;

  if (scope === undefined) {
    if (!compare) return null;
    return (
      <p className="text-xs text-zinc-600">
        The response carries no <span className="font-mono">scope</span>: per RFC 6749 §5.1 that means the requested
        scopes were granted as asked.
      </p>
    );
  }

  return (
    <div className="space-y-2">
      {granted.length === 0 ? (
        <p className="text-xs text-zinc-600" data-testid="granted-scopes">
          <span className="font-mono">scope</span> is empty: nothing was granted.
        </p>
      ) : (
        <ul className="flex flex-wrap gap-1" data-testid="granted-scopes" aria-label="Granted scopes">
          {diff.granted.map((name) => {
            const extra = compare && diff.extra.includes(name);
            return (
              <li key={name}>
                <Badge
                  tone={compare && !extra ? 'green' : 'neutral'}
                  className="font-mono"
                  title={extra ? 'Granted without being requested' : 'Granted'}
                >
                  {name}
                  {extra && <span className="font-sans text-zinc-600">not requested</span>}
                </Badge>
              </li>
            );
          })}
        </ul>
      )}
      {compare && diff.missing.length > 0 && (
        <div className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="missing-scopes">
          <p className="font-medium">
            {diff.missing.length} of {requested.length} requested {requested.length === 1 ? 'scope was' : 'scopes were'}{' '}
            not granted. The user or the app’s registration withheld {diff.missing.length === 1 ? 'it' : 'them'}.
          </p>
          <ul className="mt-1.5 space-y-1">
            {diff.missing.map((name) => (
              <li key={name} className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
                <Badge tone="amber" className="font-mono line-through decoration-amber-500/70">
                  {name}
                </Badge>
                <span className="text-amber-800">not granted — requests needing it will answer 403</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
