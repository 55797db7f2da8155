import { cn } from './cn';
import { Breakable } from './breakable';

export interface HeadersTableProps {
  headers: ReadonlyArray<readonly [string, string]>;
  className?: string;
  emptyLabel?: string;
}

export function HeadersTable({ headers, className, emptyLabel = 'No headers' }: HeadersTableProps) {
  if (headers.length === 0) return <p className="text-xs text-zinc-600 italic">{emptyLabel}</p>;
  return (
    <div className={cn('overflow-hidden rounded-lg border border-zinc-200', className)}>
      <table className="w-full table-fixed border-collapse text-left font-mono text-xs">
        <tbody className="divide-y divide-zinc-100">
          {headers.map(([name, value], index) => (
            <tr key={`${name}-${index}`} className="align-top odd:bg-white even:bg-zinc-50/60">
              <th scope="row" className="w-2/5 px-2.5 py-1.5 font-medium wrap-anywhere text-zinc-600 sm:w-1/3">
                {name}
              </th>
              <td className="px-2.5 py-1.5 wrap-anywhere text-zinc-800">
                <Breakable text={value} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
