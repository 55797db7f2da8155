import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { pagingRelations, type BundleSummary, type PagingRelation } from '@/lib/client/bundle';

export interface BundlePagerProps {
  bundle: BundleSummary;
  /** Each paging link as a proxy path, or null when absent or pointing outside the environment. */
  paths: Record<PagingRelation, string | null>;
  pending: boolean;
  onPage: (path: string) => void;
}

const relationLabels: Record<PagingRelation, string> = { first: 'First', previous: 'Previous', next: 'Next', last: 'Last' };

/**
 * A Bundle's size, what its entries are, and for a paged searchset the ways to the other pages
 * (FHIR R4 §3.1.1.3.2), each followed through the BFF.
 */
export function BundlePager({ bundle, paths, pending, onPage }: BundlePagerProps) {
  const paged = pagingRelations.some((relation) => bundle.links[relation] !== null);
  return (
    <div className="space-y-1.5 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-xs text-zinc-600" data-testid="bundle-summary">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <Badge tone="indigo">Bundle{bundle.type && ` · ${bundle.type}`}</Badge>
        <span className="tabular-nums" data-testid="bundle-count">
          {bundle.offset !== null && bundle.entries > 0 ? (
            <>
              entries{' '}
              <span className="font-semibold text-zinc-900">
                {bundle.offset + 1}–{bundle.offset + bundle.entries}
              </span>
            </>
          ) : (
            <>
              <span className="font-semibold text-zinc-900">{bundle.entries}</span> {bundle.entries === 1 ? 'entry' : 'entries'}
            </>
          )}
          {bundle.total !== undefined && (
            <>
              {' '}
              of <span className="font-semibold text-zinc-900">{bundle.total}</span> in total
            </>
          )}
        </span>
        {bundle.total === undefined && bundle.type === 'searchset' && (
          <span
            className="text-xs text-zinc-600"
            title="Bundle.total is optional (FHIR R4 Bundle.total, 0..1): this server does not count the matches. Follow the pages to see them all."
            data-testid="bundle-no-total"
          >
            no total reported
          </span>
        )}
        {paged ? (
          <span className="ml-auto flex flex-wrap items-center gap-1" role="group" aria-label="Pages">
            {pagingRelations.map((relation) => {
              const link = bundle.links[relation];
              const path = paths[relation];
              return (
                <Button
                  key={relation}
                  size="xs"
                  variant="secondary"
                  disabled={!path || pending}
                  onClick={() => path && onPage(path)}
                  title={path ? `GET ${path}` : link ? `The ${relation} link points outside this environment: ${link}` : `No ${relation} link`}
                  data-testid={`bundle-${relation}`}
                >
                  {relationLabels[relation]}
                </Button>
              );
            })}
          </span>
        ) : (
          bundle.type === 'searchset' && <span className="ml-auto text-xs text-zinc-600">One page</span>
        )}
      </div>
      {bundle.resourceTypes.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label="Entries by resource type" data-testid="bundle-resource-types">
          {bundle.resourceTypes.map(({ resourceType, count }) => (
            <li key={resourceType}>
              <Badge tone={resourceType === 'OperationOutcome' ? 'amber' : 'neutral'}>
                {resourceType} <span className="font-semibold tabular-nums">{count}</span>
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
