import { Badge } from '@/components/ui/badge';
import { cn } from '@/components/ui/cn';
import { InlineCodeText } from '@/components/ui/inline-code-text';
import type { ExampleElsewhere } from '@/lib/client/effective-flow';
import type { ProviderDto } from '@/lib/contract/schemas';

type DefaultRequest = ProviderDto['defaultRequests'][number];
type RequestGroup = NonNullable<DefaultRequest['group']>;

/** Groups in reading order: what the server is, its data, writes, the caller's own account, then bulk. */
const groupLabels: Record<RequestGroup, string> = {
  discovery: 'Discovery',
  data: 'Search & read',
  write: 'Create',
  account: 'Token & account',
  bulk: 'Bulk export',
};
const groupOrder = Object.keys(groupLabels) as RequestGroup[];

function groupOf(request: DefaultRequest): RequestGroup {
  return request.group ?? (request.bulkExport ? 'bulk' : 'data');
}

export interface RequestPresetsProps {
  requests: DefaultRequest[];
  selectedId: string | null;
  onSelect: (request: DefaultRequest) => void;
  /** Examples only another credential set of this environment can send, with that set (see examplesFor). */
  elsewhere?: readonly ExampleElsewhere[];
  /** Switches to that credential set and loads the example. */
  onSwitch?: (presetId: string, request: DefaultRequest) => void;
}

/** The provider's ready-made requests by group; choosing one loads it into the editor below. */
export function RequestPresets({ requests, selectedId, onSelect, elsewhere = [], onSwitch }: RequestPresetsProps) {
  const switchable = elsewhere.filter((entry): entry is Switchable => entry.preset !== undefined);
  const groups = groupOrder
    .map((group) => ({ group, requests: requests.filter((request) => groupOf(request) === group) }))
    .filter(({ requests: inGroup }) => inGroup.length > 0);
  if (groups.length === 0) {
    return <p className="text-xs text-zinc-600">This provider has no example requests; write one in the editor below.</p>;
  }
  return (
    <div className="space-y-3" data-testid="fhir-examples" role="group" aria-label="Example requests">
      {groups.map(({ group, requests: inGroup }) => (
        <section key={group} aria-labelledby={`fhir-examples-${group}`}>
          <h3 id={`fhir-examples-${group}`} className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase">
            {groupLabels[group]}
          </h3>
          <PresetButtons requests={inGroup} selectedId={selectedId} onSelect={onSelect} />
        </section>
      ))}
      {switchable.length > 0 && onSwitch && (
        <section data-testid="fhir-examples-elsewhere">
          <h3 className="mb-1.5 text-xs font-semibold tracking-wide text-zinc-600 uppercase">With another credential set</h3>
          <div className="space-y-2">
            {groupByPreset(switchable).map(({ preset, requests: needing }) => (
              <div key={preset.id}>
                <p className="text-xs text-zinc-700">
                  Each needs <span className="font-medium text-zinc-900">{preset.label}</span>: a click switches to it and loads the example.
                </p>
                <ul className="mt-1 flex flex-wrap gap-1.5">
                  {needing.map((request) => (
                    <li key={request.id}>
                      <button
                        type="button"
                        onClick={() => onSwitch(preset.id, request)}
                        title={`Switch to ${preset.label} and load this example`}
                        className="rounded-md border border-dashed border-zinc-300 px-2 py-1 text-left text-xs text-zinc-800 hover:border-indigo-300 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
                        data-testid={`fhir-switch-${request.id}`}
                      >
                        <span aria-hidden="true" className="font-mono font-semibold text-indigo-700">
                          {request.method}
                        </span>{' '}
                        {request.label}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

function PresetButtons({ requests, selectedId, onSelect }: RequestPresetsProps) {
  return (
    <div className="grid gap-2 sm:grid-cols-2">
      {requests.map((request) => {
        const selected = request.id === selectedId;
        return (
          <button
            key={request.id}
            type="button"
            onClick={() => onSelect(request)}
            aria-pressed={selected}
            // The name is the label alone ("Patient $export"): the method and the badge are hidden from it, and the
            // description describes the button rather than naming it (no aria-label, so name and text agree).
            aria-describedby={`fhir-preset-${request.id}-description`}
            data-testid={`fhir-preset-${request.id}`}
            className={cn(
              'flex min-w-0 flex-col items-start gap-0.5 rounded-lg border px-3 py-1.5 text-left transition-colors',
              'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-500',
              selected
                ? 'border-indigo-300 bg-indigo-50/70 ring-1 ring-indigo-200'
                : 'border-zinc-200 bg-white hover:border-zinc-300 hover:bg-zinc-50',
            )}
          >
            <span className="flex w-full min-w-0 items-center gap-2">
              <span aria-hidden="true" className="font-mono text-xs font-semibold text-indigo-700">{request.method}</span>
              <span className="truncate text-xs font-medium text-zinc-900">{request.label}</span>
              {request.bulkExport && (
                <Badge tone="violet" className="ml-auto" aria-hidden="true">
                  bulk
                </Badge>
              )}
            </span>
            <span
              aria-hidden="true"
              id={`fhir-preset-${request.id}-description`}
              title={request.description.replace(/`/g, '')}
              className="line-clamp-1 text-xs leading-4 text-zinc-600"
            >
              <InlineCodeText text={request.description} />
            </span>
          </button>
        );
      })}
    </div>
  );
}

type Switchable = { request: DefaultRequest; preset: NonNullable<ExampleElsewhere['preset']> };

/** The examples another credential set can send, one group per set, in the order they came. */
function groupByPreset(entries: readonly Switchable[]): { preset: Switchable['preset']; requests: DefaultRequest[] }[] {
  const groups = new Map<string, { preset: Switchable['preset']; requests: DefaultRequest[] }>();
  for (const { request, preset } of entries) {
    const group = groups.get(preset.id) ?? { preset, requests: [] };
    group.requests.push(request);
    groups.set(preset.id, group);
  }
  return [...groups.values()];
}
