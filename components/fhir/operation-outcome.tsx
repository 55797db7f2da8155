import { Badge } from '@/components/ui/badge';
import type { OperationOutcomeIssue } from './fhir-utils';

const severityTone = { fatal: 'red', error: 'red', warning: 'amber', information: 'blue' } as const;

/**
 * OperationOutcome issues, lifted out of the JSON so the reason for a 4xx is the first thing read. `caption` names
 * where they came from when it is not the body itself (an outcome entry in a Bundle).
 */
export function OperationOutcome({ issues, caption }: { issues: OperationOutcomeIssue[]; caption?: string }) {
  return (
    <ul
      data-testid="operation-outcome"
      aria-label={caption ?? 'OperationOutcome'}
      className="divide-y divide-amber-200/70 overflow-hidden rounded-lg border border-amber-200 bg-amber-50/70"
    >
      {caption && <li className="px-3 py-1 text-xs font-medium text-amber-900">{caption}</li>}
      {issues.map((issue, index) => (
        <li key={index} className="flex flex-wrap items-start gap-2 px-3 py-2 text-xs">
          <Badge tone={severityTone[issue.severity as keyof typeof severityTone] ?? 'neutral'}>{issue.severity}</Badge>
          <code className="rounded bg-white/70 px-1 py-px font-mono text-xs text-zinc-700 ring-1 ring-amber-200">
            {issue.code}
          </code>
          <span className="min-w-0 flex-1 font-medium text-zinc-900">
            {issue.diagnostics ?? issue.details?.text ?? 'No diagnostics'}
            {issue.details?.text && issue.diagnostics && issue.details.text !== issue.diagnostics && (
              <span className="block font-normal text-zinc-600">{issue.details.text}</span>
            )}
          </span>
          {issue.expression && issue.expression.length > 0 && (
            <span className="font-mono text-xs text-zinc-600">{issue.expression.join(', ')}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
