'use client';

import { useState } from 'react';
import { CodeBlock } from '@/components/ui/code-block';
import { cn } from '@/components/ui/cn';
import { CopyButton } from '@/components/ui/copy-button';
import { JsonTree } from '@/components/ui/json-tree';
import type { FhirProxyResponse } from '@/lib/contract/schemas';
import { NdjsonPreview } from './ndjson-preview';

type JsonView = 'tree' | 'raw';

/** The body by kind: JSON as a tree or raw text (with copy), an NDJSON preview, text, or a note that there is none. */
export function ResponseBody({ response }: { response: FhirProxyResponse }) {
  const [view, setView] = useState<JsonView>('tree');
  if (response.bodyKind === 'json') {
    const raw = JSON.stringify(response.json, null, 2);
    return (
      <div className="overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50/60">
        <div className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-white px-2 py-1">
          <div role="group" aria-label="Body view" className="flex items-center gap-0.5 rounded-md bg-zinc-100 p-0.5">
            {(['tree', 'raw'] as const).map((option) => (
              <button
                key={option}
                type="button"
                aria-pressed={view === option}
                onClick={() => setView(option)}
                data-testid={`fhir-body-view-${option}`}
                className={cn(
                  'rounded px-2 py-0.5 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500',
                  view === option ? 'bg-white text-zinc-900 shadow-xs' : 'text-zinc-600 hover:text-zinc-800',
                )}
              >
                {option === 'tree' ? 'Tree' : 'Raw'}
              </button>
            ))}
          </div>
          <CopyButton text={raw} label="Copy JSON" />
        </div>
        {view === 'tree' ? (
          <JsonTree data-testid="fhir-response-body" value={response.json} defaultOpenDepth={2} className="max-h-[32rem] overflow-auto p-3" />
        ) : (
          <CodeBlock data-testid="fhir-response-body" maxHeightClass="max-h-[32rem]" className="rounded-none border-0 bg-transparent">
            {raw}
          </CodeBlock>
        )}
      </div>
    );
  }
  if (response.bodyKind === 'ndjson' && response.ndjson) {
    return (
      <div data-testid="fhir-response-body">
        <NdjsonPreview ndjson={response.ndjson} />
      </div>
    );
  }
  if (response.bodyKind === 'empty' || !response.text) {
    return (
      <p data-testid="fhir-response-body" className="rounded-lg border border-dashed border-zinc-200 px-3 py-2 text-xs text-zinc-600 italic">
        Empty body
      </p>
    );
  }
  return (
    <div className="relative">
      <div className="absolute top-1.5 right-1.5 z-10">
        <CopyButton text={response.text} label="Copy" />
      </div>
      <CodeBlock data-testid="fhir-response-body" className="pr-16">
        {response.text}
      </CodeBlock>
    </div>
  );
}
