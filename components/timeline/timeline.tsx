import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { ApiClientError } from '@/lib/client/api-client-error';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { TimelineExport } from './timeline-export';
import { TimelineRow } from './timeline-row';

export interface TimelineProps {
  exchanges: ExchangeDto[] | undefined;
  error: ApiClientError | null;
  refreshing: boolean;
  onRefresh: () => void;
  /** The sequence diagram of the same exchanges: opened from here when it is closed. */
  diagramOpen?: boolean;
  onShowDiagram?: () => void;
  /** "Check this server": opened from here when it is closed. */
  checkOpen?: boolean;
  onCheckServer?: () => void;
}

/** Every request the server made for this session, in order, each expandable to headers and bodies. */
export function Timeline({ exchanges, error, refreshing, onRefresh, diagramOpen = false, onShowDiagram, checkOpen = false, onCheckServer }: TimelineProps) {
  return (
    <Card
      data-testid="timeline"
      title={
        <>
          Timeline {exchanges && <span className="font-normal text-zinc-600">({exchanges.length})</span>}
        </>
      }
      description="What the server sent to the provider and what came back. Secrets are redacted by the server."
      actions={
        <>
          {onShowDiagram && !diagramOpen && (
            <Button size="sm" data-testid="show-sequence-diagram" onClick={onShowDiagram} title="The same exchanges as a sequence diagram, explained step by step">
              Sequence diagram
            </Button>
          )}
          {onCheckServer && !checkOpen && (
            <Button size="sm" data-testid="check-server-open" onClick={onCheckServer} title="Run every conformance check against this provider, the requests it must refuse included">
              Check this server
            </Button>
          )}
          <TimelineExport />
          <Button size="sm" variant="ghost" onClick={onRefresh} pending={refreshing}>
            Refresh
          </Button>
        </>
      }
      flush
    >
      {error && <ApiErrorCard className="m-4" error={error} title="Could not load the session" />}
      {!error && exchanges && exchanges.length === 0 && (
        <EmptyState className="m-4" title="Nothing yet">
          Token and FHIR requests appear here as the server makes them.
        </EmptyState>
      )}
      {!exchanges && !error && <p className="px-4 py-4 text-xs text-zinc-600">Loading…</p>}
      {exchanges && exchanges.length > 0 && (
        <>
          <div className="hidden grid-cols-[auto_4rem_3.5rem_3.5rem_minmax(0,1fr)_6rem_4.5rem] gap-x-3 border-b border-zinc-100 bg-zinc-50 px-4 py-1.5 text-xs font-medium tracking-wide text-zinc-600 uppercase sm:grid">
            <span className="w-3" />
            <span>Time</span>
            <span>Kind</span>
            <span>Method</span>
            <span>URL</span>
            <span>Status</span>
            <span className="text-right">Duration</span>
          </div>
          <ol className="divide-y divide-zinc-100">
            {exchanges.map((exchange, index) => (
              <TimelineRow key={exchange.id} exchange={exchange} index={index} />
            ))}
          </ol>
        </>
      )}
    </Card>
  );
}
