'use client';

import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { JsonTree } from '@/components/ui/json-tree';
import { TextInput } from '@/components/ui/text-input';
import { evaluateFhirPath, loadFhirPathEngine, type FhirPathEngine, type FhirPathOutcome } from '@/lib/client/fhirpath/evaluate';

type EngineState = { status: 'idle' | 'loading' } | { status: 'ready'; engine: FhirPathEngine } | { status: 'failed'; message: string };

export interface FhirPathBoxProps {
  /** The response body the expression runs over. */
  input: unknown;
  /** Expressions worth a click for this body (a Bundle's entries, a list's items). */
  suggestions: readonly string[];
}

/**
 * A FHIRPath expression over the response (the `fhirpath` package with its R4 model, loaded on first use). The
 * last evaluated expression follows the response: page to the next Bundle and it runs again.
 */
export function FhirPathBox({ input, suggestions }: FhirPathBoxProps) {
  const [draft, setDraft] = useState('');
  const [expression, setExpression] = useState<string | null>(null);
  const [engineState, setEngineState] = useState<EngineState>({ status: 'idle' });

  const evaluate = (text: string) => {
    setDraft(text);
    setExpression(text);
    if (engineState.status === 'ready' || engineState.status === 'loading') return;
    setEngineState({ status: 'loading' });
    loadFhirPathEngine().then(
      (engine) => setEngineState({ status: 'ready', engine }),
      (error: unknown) =>
        setEngineState({ status: 'failed', message: `The FHIRPath engine did not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.` }),
    );
  };

  const outcome: FhirPathOutcome | null = useMemo(
    () => (engineState.status === 'ready' && expression !== null ? evaluateFhirPath(engineState.engine, input, expression) : null),
    [engineState, expression, input],
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    evaluate(draft);
  };

  return (
    <div className="rounded-lg border border-zinc-200 bg-white" data-testid="fhirpath">
      <form onSubmit={submit} className="flex items-center gap-2 p-2">
        <label htmlFor="fhirpath-expression" className="shrink-0 text-xs font-medium text-zinc-700">
          FHIRPath
        </label>
        <TextInput
          id="fhirpath-expression"
          value={draft}
          spellCheck={false}
          autoComplete="off"
          placeholder={suggestions[0] ?? 'entry.resource.resourceType'}
          onChange={(e) => setDraft(e.target.value)}
          aria-describedby="fhirpath-result"
          aria-invalid={(outcome && !outcome.ok) || undefined}
          className="h-8 min-w-0 flex-1 font-mono text-xs"
        />
        <Button type="submit" size="sm" variant="secondary" pending={engineState.status === 'loading'} data-testid="fhirpath-evaluate">
          Evaluate
        </Button>
      </form>
      {suggestions.length > 0 && (
        <div className="flex flex-wrap items-center gap-1.5 px-2 pb-2 text-xs text-zinc-600">
          <span>Try</span>
          {suggestions.map((suggestion) => (
            <button
              key={suggestion}
              type="button"
              onClick={() => evaluate(suggestion)}
              className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-700 hover:bg-zinc-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
            >
              {suggestion}
            </button>
          ))}
        </div>
      )}
      <div id="fhirpath-result" aria-live="polite" data-testid="fhirpath-result">
        {engineState.status === 'failed' ? (
          <FhirPathMessage tone="error">{engineState.message}</FhirPathMessage>
        ) : outcome === null ? null : outcome.ok ? (
          <FhirPathResults results={outcome.results} />
        ) : (
          <FhirPathMessage tone="error">
            <span className="block">{outcome.error.message}</span>
            {outcome.error.column !== undefined && expression !== null && (
              <ErrorPointer expression={expression} column={outcome.error.column} />
            )}
          </FhirPathMessage>
        )}
      </div>
    </div>
  );
}

function FhirPathResults({ results }: { results: unknown[] }) {
  if (results.length === 0) {
    return <FhirPathMessage tone="neutral">No results: the expression matched nothing in this response (an empty collection).</FhirPathMessage>;
  }
  return (
    <div className="border-t border-zinc-100 bg-zinc-50/60">
      <p className="px-3 pt-2 text-xs text-zinc-600">
        {results.length} {results.length === 1 ? 'result' : 'results'}
      </p>
      <JsonTree value={results} defaultOpenDepth={2} className="max-h-64 overflow-auto px-3 pt-1 pb-2" />
    </div>
  );
}

function FhirPathMessage({ tone, children }: { tone: 'error' | 'neutral'; children: ReactNode }) {
  return (
    <div
      role={tone === 'error' ? 'alert' : undefined}
      data-testid={tone === 'error' ? 'fhirpath-error' : undefined}
      className={
        tone === 'error'
          ? 'border-t border-red-100 bg-red-50/70 px-3 py-2 text-xs text-red-800'
          : 'border-t border-zinc-100 bg-zinc-50/60 px-3 py-2 text-xs text-zinc-600'
      }
    >
      {children}
    </div>
  );
}

/** The expression with a caret under the character the parser stopped at. */
function ErrorPointer({ expression, column }: { expression: string; column: number }) {
  return (
    <pre aria-hidden="true" className="mt-1.5 overflow-x-auto font-mono text-xs leading-4 text-red-900">
      {expression}
      {'\n'}
      {' '.repeat(Math.max(0, column - 1))}^
    </pre>
  );
}
