import { CodeBlock } from '@/components/ui/code-block';
import { JsonTree } from '@/components/ui/json-tree';
import { StatusCode } from '@/components/ui/status-code';
import type { UpstreamAnswer } from '@/lib/client/bulk/job-machine';
import type { ReactNode } from 'react';
import { getOperationOutcomeIssues } from './fhir-utils';
import { OperationOutcome } from './operation-outcome';

export interface BulkAnswerProps {
  /** What was asked, e.g. "Job status" or "Cancel". */
  what: string;
  answer: UpstreamAnswer;
  /** One sentence on what the answer means. */
  children?: ReactNode;
  tone?: 'amber' | 'red' | 'zinc';
  'data-testid'?: string;
}

const frames = {
  amber: 'border-amber-200 bg-amber-50/50',
  red: 'border-red-200 bg-red-50/50',
  zinc: 'border-zinc-200 bg-zinc-50/60',
} as const;

/** A provider's answer in the bulk flow: status, what it means, and its OperationOutcome (or body). */
export function BulkAnswer({ what, answer, children, tone = 'amber', ...rest }: BulkAnswerProps) {
  const issues = getOperationOutcomeIssues(answer.json);
  return (
    <div className={`space-y-2 rounded-lg border p-3 ${frames[tone]}`} {...rest}>
      <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-800">
        {what} answered <StatusCode status={answer.status} text={answer.statusText} />
        {children && <span>{children}</span>}
      </p>
      {issues ? (
        <OperationOutcome issues={issues} />
      ) : answer.json !== undefined ? (
        <JsonTree value={answer.json} defaultOpenDepth={1} className="max-h-60 overflow-auto rounded-lg bg-white p-2" />
      ) : answer.text ? (
        <CodeBlock className="bg-white" maxHeightClass="max-h-40">
          {answer.text}
        </CodeBlock>
      ) : null}
    </div>
  );
}
