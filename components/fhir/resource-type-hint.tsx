import { Fragment } from 'react';
import { Button } from '@/components/ui/button';
import type { ResourceTypeHint } from '@/lib/client/resource-type-hint';

/**
 * "The server has no `Patinet` resource type. Did you mean `Patient`?" after a 404, from the server's own
 * CapabilityStatement, with a button per suggestion that rewrites the editor's path (id and query kept).
 */
export function ResourceTypeHintNote({ hint, onUsePath }: { hint: ResourceTypeHint; onUsePath: (path: string) => void }) {
  const count = hint.suggestions.length;
  return (
    <div role="status" data-testid="resource-type-hint" className="mb-3 space-y-2 rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
      <p>
        The server has no <span className="font-mono">{hint.typed}</span> resource type
        {hint.caseOnly && ' (resource types are case-sensitive)'}. Did you mean{' '}
        {hint.suggestions.map(({ type }, index) => (
          <Fragment key={type}>
            {index === 0 ? '' : index === count - 1 ? ' or ' : ', '}
            <span className="font-mono">{type}</span>
          </Fragment>
        ))}
        ?
      </p>
      <div className="flex flex-wrap gap-2">
        {hint.suggestions.map(({ type, path }) => (
          <Button key={type} size="xs" variant="secondary" onClick={() => onUsePath(path)} title={`Put ${path} in the editor`}>
            Use <span className="max-w-64 truncate font-mono">{path}</span>
          </Button>
        ))}
      </div>
    </div>
  );
}
