import { ClaimValue } from './claim-value';

export interface ClaimsTableProps {
  caption: string;
  entries: Array<[string, unknown]>;
  descriptions: Readonly<Record<string, string>>;
  now: number;
  'data-testid'?: string;
}

/** Claim name, value and, for well-known claims, what it means. */
export function ClaimsTable({ caption, entries, descriptions, now, ...rest }: ClaimsTableProps) {
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200" {...rest}>
      <table className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-zinc-50 text-xs tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-24 px-3 py-1.5 font-medium">
              Name
            </th>
            <th scope="col" className="px-3 py-1.5 font-medium">
              Value
            </th>
            <th scope="col" className="hidden w-1/3 px-3 py-1.5 font-medium md:table-cell">
              Meaning
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {entries.map(([name, value]) => (
            <tr key={name} className="align-top" data-claim={name}>
              <th scope="row" className="px-3 py-2 font-mono font-semibold text-indigo-700">
                {name}
              </th>
              <td className="min-w-0 px-3 py-2">
                <ClaimValue name={name} value={value} now={now} />
                {descriptions[name] && (
                  <p className="mt-1 text-xs text-zinc-600 md:hidden">{descriptions[name]}</p>
                )}
              </td>
              <td className="hidden px-3 py-2 text-zinc-600 md:table-cell">{descriptions[name] ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
