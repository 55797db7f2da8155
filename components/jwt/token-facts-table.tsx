import { Badge } from '@/components/ui/badge';
import type { TokenDto } from '@/lib/contract/schemas';
import { buildTokenResponseRows } from './fact-utils';
import { FactValue } from './fact-value';

export interface TokenFactsTableProps {
  token: TokenDto;
  now: number;
  /** Only the provider's additions (a JWT's standard fields are shown elsewhere in the panel). */
  nonStandardOnly?: boolean;
  /** The meaning of each field: the generic words, with the provider file's over them. */
  descriptions: Readonly<Record<string, string>>;
}

/** The token response field by field: what an opaque token's holder can know about it. */
export function TokenFactsTable({ token, now, nonStandardOnly = false, descriptions }: TokenFactsTableProps) {
  const rows = buildTokenResponseRows(token).filter((row) => !nonStandardOnly || !row.standard);
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-200" data-testid="token-facts">
      <table className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">Token response fields</caption>
        <thead className="bg-zinc-50 text-xs tracking-wide text-zinc-600 uppercase">
          <tr>
            <th scope="col" className="w-32 px-3 py-1.5 font-medium sm:w-48">
              Field
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
          {rows.map((row) => (
            <tr key={row.name} className="align-top" data-fact={row.name}>
              <th scope="row" className="px-3 py-2 font-mono font-semibold [overflow-wrap:anywhere] text-indigo-700">
                {row.name}
                {!row.standard && (
                  <span className="mt-1 block">
                    <Badge tone="violet" className="font-sans font-medium" title="Not in RFC 6749 §5.1">
                      non-standard
                    </Badge>
                  </span>
                )}
              </th>
              <td className="min-w-0 px-3 py-2">
                <FactValue display={row.value} now={now} />
                {descriptions[row.name] && (
                  <p className="mt-1 text-xs text-zinc-600 md:hidden">{descriptions[row.name]}</p>
                )}
              </td>
              <td className="hidden px-3 py-2 text-zinc-600 md:table-cell">{descriptions[row.name] ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
