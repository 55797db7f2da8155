import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { InlineCodeText } from '@/components/ui/inline-code-text';
import type { ProviderDto } from '@/lib/api-client/schemas';

type DefaultRequest = ProviderDto['defaultRequests'][number];

export interface RequestPresetsProps {
  requests: DefaultRequest[];
  selectedId: string | null;
  onSelect: (request: DefaultRequest) => void;
}

/** The provider's ready-made requests; choosing one loads it into the editor below. */
export function RequestPresets({ requests, selectedId, onSelect }: RequestPresetsProps) {
  return (
    <div className="grid gap-2 sm:grid-cols-2" role="group" aria-label="Example requests">
      {requests.map((request) => {
        const selected = request.id === selectedId;
        return (
          <button
            key={request.id}
            type="button"
            onClick={() => onSelect(request)}
            aria-pressed={selected}
            // The name is the label alone ("Patient $export"); method and description are descriptions.
            aria-label={request.label}
            aria-describedby={`fhir-preset-${request.id}-description`}
            data-testid={`fhir-preset-${request.id}`}
            className={cn(
              'flex min-w-0 flex-col items-start gap-1 rounded-lg border px-3 py-2 text-left transition-colors',
              'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500',
              selected
                ? 'border-indigo-300 bg-indigo-50/70 ring-1 ring-indigo-200'
                : 'border-zinc-200 bg-white hover:border-zinc-300 hover:bg-zinc-50',
            )}
          >
            <span className="flex w-full min-w-0 items-center gap-2">
              <span className="font-mono text-[10px] font-semibold text-indigo-700">{request.method}</span>
              <span className="truncate text-xs font-medium text-zinc-900">{request.label}</span>
              {request.bulkExport && (
                <Badge tone="violet" className="ml-auto">
                  bulk
                </Badge>
              )}
            </span>
            <span id={`fhir-preset-${request.id}-description`} className="line-clamp-2 text-[11px] leading-4 text-zinc-500">
              <InlineCodeText text={request.description} />
            </span>
          </button>
        );
      })}
    </div>
  );
}
