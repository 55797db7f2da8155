import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { BundleSummary } from '@/lib/api-client/bundle';

export interface BundlePagerProps {
  bundle: BundleSummary;
  /** The `next` link as a proxy path, or null when it points outside the environment. */
  nextPath: string | null;
  pending: boolean;
  onNext: (path: string) => void;
}

/** A Bundle's size and, for a searchset with more pages, the way to the next one (FHIR R4 §3.1.1.3.2). */
export function BundlePager({ bundle, nextPath, pending, onNext }: BundlePagerProps) {
  return (
    <div
      className="flex flex-wrap items-center gap-x-3 gap-y-1.5 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs text-zinc-600"
      data-testid="bundle-summary"
    >
      <Badge tone="indigo">Bundle{bundle.type && ` · ${bundle.type}`}</Badge>
      <span className="tabular-nums">
        <span className="font-semibold text-zinc-900">{bundle.entries}</span> {bundle.entries === 1 ? 'entry' : 'entries'}
        {bundle.total !== undefined && (
          <>
            {' '}
            of <span className="font-semibold text-zinc-900">{bundle.total}</span>
          </>
        )}
      </span>
      {bundle.next ? (
        <span className="ml-auto flex min-w-0 items-center gap-2">
          <span className="hidden min-w-0 truncate font-mono text-[11px] text-zinc-400 sm:inline" title={bundle.next}>
            {nextPath ?? bundle.next}
          </span>
          <Button
            size="xs"
            variant="secondary"
            pending={pending}
            disabled={!nextPath}
            onClick={() => nextPath && onNext(nextPath)}
            title={nextPath ? `GET ${nextPath}` : 'The next link points outside this environment'}
            data-testid="bundle-next"
          >
            Next page
          </Button>
        </span>
      ) : (
        bundle.type === 'searchset' && <span className="ml-auto text-[11px] text-zinc-500">Last page</span>
      )}
    </div>
  );
}
