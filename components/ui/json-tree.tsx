import type { ReactNode } from 'react';
import { cn } from './cn';
import { Chevron } from './disclosure';

export interface JsonTreeProps {
  value: unknown;
  /** Objects and arrays shallower than this start open. */
  defaultOpenDepth?: number;
  className?: string;
  'data-testid'?: string;
}

/**
 * A collapsible JSON viewer built on <details>, so collapsed content stays in the DOM and findable. Syntax colours:
 * keys slate, strings green, numbers blue, booleans/null violet.
 */
export function JsonTree({ value, defaultOpenDepth = 2, className, ...rest }: JsonTreeProps) {
  return (
    <div className={cn('font-mono text-xs leading-5 text-zinc-800', className)} {...rest}>
      <JsonNode value={value} depth={0} defaultOpenDepth={defaultOpenDepth} last />
    </div>
  );
}

interface JsonNodeProps {
  name?: string;
  value: unknown;
  depth: number;
  defaultOpenDepth: number;
  last: boolean;
}

function JsonNode({ name, value, depth, defaultOpenDepth, last }: JsonNodeProps) {
  const comma = last ? null : <span className="text-zinc-600">,</span>;
  const label =
    name === undefined ? null : (
      <>
        <span className="text-slate-600">{JSON.stringify(name)}</span>
        <span className="text-zinc-600">: </span>
      </>
    );

  if (value === null || typeof value !== 'object') {
    return (
      <div className="pl-4 [overflow-wrap:anywhere]">
        {label}
        <JsonPrimitive value={value} />
        {comma}
      </div>
    );
  }

  const isArray = Array.isArray(value);
  const entries: Array<[string, unknown]> = isArray
    ? (value as unknown[]).map((item, index) => [String(index), item])
    : Object.entries(value as Record<string, unknown>);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];

  if (entries.length === 0) {
    return (
      <div className="pl-4">
        {label}
        <span className="text-zinc-600">
          {open}
          {close}
        </span>
        {comma}
      </div>
    );
  }

  const count = isArray ? `${entries.length} item${entries.length === 1 ? '' : 's'}` : `${entries.length} key${entries.length === 1 ? '' : 's'}`;
  return (
    <details open={depth < defaultOpenDepth}>
      <summary className="-ml-0.5 cursor-pointer list-none rounded pl-0.5 hover:bg-zinc-100 [&::-webkit-details-marker]:hidden">
        <Chevron className="inline-block align-[-1px]" />
        {label && <span className="ml-0.5">{label}</span>}
        <span className="text-zinc-600">{open}</span>
        <span className="text-zinc-600 [details[open]>summary>&]:hidden">
          {' '}
          … {count} {close}
          {comma}
        </span>
      </summary>
      <div className="ml-[5px] border-l border-zinc-200 pl-1.5">
        {entries.map(([key, child], index) => (
          <JsonNode
            key={key}
            name={isArray ? undefined : key}
            value={child}
            depth={depth + 1}
            defaultOpenDepth={defaultOpenDepth}
            last={index === entries.length - 1}
          />
        ))}
      </div>
      <div className="hidden pl-4 text-zinc-600 [details[open]>&]:block">
        {close}
        {comma}
      </div>
    </details>
  );
}

function JsonPrimitive({ value }: { value: unknown }): ReactNode {
  if (typeof value === 'string') return <span className="text-emerald-700">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="text-sky-700">{String(value)}</span>;
  if (typeof value === 'boolean' || value === null) return <span className="text-violet-700">{String(value)}</span>;
  return <span className="text-zinc-600">{String(value)}</span>;
}
