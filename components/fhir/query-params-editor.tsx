import { Button } from '@/components/ui/button';
import { TextInput } from '@/components/ui/text-input';
import type { QueryParam } from '@/lib/client/query-params';

export interface QueryParamsEditorProps {
  params: readonly QueryParam[];
  onChange: (params: QueryParam[]) => void;
}

/** Key/value rows of the path's query string; the path above changes with them, and they with it. */
export function QueryParamsEditor({ params, onChange }: QueryParamsEditorProps) {
  const update = (index: number, change: Partial<QueryParam>) =>
    onChange(params.map((param, i) => (i === index ? { ...param, ...change } : param)));
  const remove = (index: number) => onChange(params.filter((_, i) => i !== index));
  const add = () => onChange([...params, { key: '', value: '' }]);

  return (
    <fieldset className="min-w-0" data-testid="query-params">
      <legend className="mb-1.5 text-xs font-medium text-zinc-700">Query parameters</legend>
      {params.length === 0 ? (
        <p className="mb-1.5 text-xs text-zinc-600">None. Add one, or type it after a “?” in the path.</p>
      ) : (
        <ul className="mb-1.5 space-y-1.5">
          {params.map((param, index) => {
            const n = index + 1;
            return (
              // Rows have no identity but their position; the path is rebuilt from them on every keystroke.
              <li key={index} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_auto] items-center gap-1.5">
                <TextInput
                  aria-label={`Parameter ${n} name`}
                  value={param.key}
                  placeholder="name"
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update(index, { key: e.target.value })}
                  className="h-8 font-mono text-xs"
                />
                <TextInput
                  aria-label={`Parameter ${n} value`}
                  value={param.value}
                  placeholder="value"
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => update(index, { value: e.target.value })}
                  className="h-8 font-mono text-xs"
                />
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove parameter ${n}${param.key ? ` (${param.key})` : ''}`}
                  title="Remove"
                  onClick={() => remove(index)}
                  className="w-7 px-0 text-zinc-600"
                >
                  <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5" fill="none">
                    <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
                  </svg>
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      <Button size="xs" variant="secondary" onClick={add} data-testid="query-param-add">
        Add parameter
      </Button>
    </fieldset>
  );
}
