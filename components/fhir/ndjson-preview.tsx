'use client';

import { useState, type KeyboardEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { Chevron } from '@/components/ui/disclosure';
import { JsonTree } from '@/components/ui/json-tree';
import { isInvalidLine } from '@/lib/client/bulk/ndjson-tally';
import { formatBytes, summarizeResource } from './fhir-utils';

export interface NdjsonLines {
  lines: unknown[];
  linesShown: number;
  bytesRead: number;
  /** True when the file continues past the lines shown. */
  truncated: boolean;
}

export interface NdjsonPreviewProps {
  ndjson: NdjsonLines;
  /** The file's line count, when the whole file was read (a download). */
  totalLines?: number;
}

/**
 * The first lines of an NDJSON file, one collapsed row per resource. The list is one tab stop (WAI-ARIA roving
 * tabindex): the arrow keys, Home and End move between lines, Enter or Space opens one.
 */
export function NdjsonPreview({ ndjson, totalLines }: NdjsonPreviewProps) {
  const [active, setActive] = useState(0);
  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    const last = ndjson.lines.length - 1;
    const next = { ArrowDown: Math.min(last, active + 1), ArrowUp: Math.max(0, active - 1), Home: 0, End: last }[event.key];
    // Only between the lines themselves: keys inside an opened line's JSON tree stay there.
    if (next === undefined || !(event.target instanceof HTMLElement) || event.target.dataset.line === undefined) return;
    event.preventDefault();
    setActive(next);
    event.currentTarget.querySelectorAll<HTMLElement>('summary[data-line]')[next]?.focus();
  };
  return (
    <div data-testid="ndjson-preview" className="overflow-hidden rounded-lg border border-zinc-200">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-xs text-zinc-600">
        <span>
          <span className="font-semibold text-zinc-900 tabular-nums">{ndjson.linesShown}</span>{' '}
          {ndjson.linesShown === 1 ? 'line' : 'lines'} shown
          {totalLines !== undefined && <span className="tabular-nums"> of {totalLines.toLocaleString('en-US')}</span>}
        </span>
        <span className="tabular-nums">{formatBytes(ndjson.bytesRead)} read</span>
        {totalLines !== undefined ? (
          <Badge tone="green">whole file read</Badge>
        ) : ndjson.truncated ? (
          <Badge tone="amber">file continues…</Badge>
        ) : (
          <Badge tone="green">end of file</Badge>
        )}
      </div>
      {ndjson.lines.length === 0 ? (
        <p className="px-3 py-3 text-xs text-zinc-600 italic">The file is empty.</p>
      ) : (
        <ol className="max-h-[28rem] divide-y divide-zinc-100 overflow-auto" aria-label="NDJSON lines" onKeyDown={onKeyDown}>
          {ndjson.lines.map((line, index) => {
            const { resourceType, id } = summarizeResource(line);
            return (
              <li key={index}>
                <details>
                  <summary
                    data-line={index + 1}
                    tabIndex={index === Math.min(active, ndjson.lines.length - 1) ? 0 : -1}
                    onFocus={() => setActive(index)}
                    className="flex cursor-pointer list-none items-center gap-2 px-3 py-1.5 text-xs hover:bg-zinc-50 [&::-webkit-details-marker]:hidden">
                    <Chevron />
                    <span className="w-6 shrink-0 text-right font-mono text-xs text-zinc-600 tabular-nums">
                      {index + 1}
                    </span>
                    {isInvalidLine(line) ? (
                      <Badge tone="red">not JSON</Badge>
                    ) : (
                      <span className="font-medium text-zinc-900">{resourceType ?? 'JSON'}</span>
                    )}
                    {id !== undefined && <span className="truncate font-mono text-zinc-600">{id}</span>}
                  </summary>
                  <div className="border-t border-zinc-100 bg-zinc-50/50 px-3 py-2">
                    <JsonTree value={line} defaultOpenDepth={1} />
                  </div>
                </details>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
