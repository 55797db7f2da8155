import { Badge } from '@/components/ui/badge';

/** The `scope` the authorize request asks for, one chip per scope. */
export function RequestedScopes({ scopes }: { scopes: readonly string[] }) {
  return (
    <div>
      <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Scopes requested</p>
      {scopes.length === 0 ? (
        <p className="mt-1 text-xs text-zinc-600">No scope parameter: the provider grants its default.</p>
      ) : (
        <ul className="mt-1 flex flex-wrap gap-1" data-testid="requested-scopes">
          {scopes.map((scope) => (
            <li key={scope}>
              <Badge className="font-mono">{scope}</Badge>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
