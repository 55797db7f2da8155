'use client';

import type { ReactNode } from 'react';
import { DiagnosisList } from '@/components/diagnostics/diagnosis-list';
import { useExchangeDiagnoses } from '@/components/diagnostics/use-exchange-diagnoses';
import { Disclosure } from '@/components/ui/disclosure';
import { HeadersTable } from '@/components/ui/headers-table';
import { StatusCode } from '@/components/ui/status-code';
import type { FhirProxyResponse } from '@/lib/api-client/schemas';
import { formatDuration, getOperationOutcomeIssues } from './fhir-utils';
import { OperationOutcome } from './operation-outcome';
import { ResponseBody } from './response-body';

/**
 * Status, timing, headers, OperationOutcome issues and the body of one proxied FHIR response. `toolbar` goes
 * between the status line and the body (the Bundle pager).
 */
export function ResponseViewer({ response, toolbar }: { response: FhirProxyResponse; toolbar?: ReactNode }) {
  const issues = response.bodyKind === 'json' ? getOperationOutcomeIssues(response.json) : null;
  const diagnoses = useExchangeDiagnoses(response.exchangeId);
  return (
    <div className="space-y-3" data-testid="fhir-response">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <StatusCode status={response.status} text={response.statusText} className="text-xs" />
        <span className="font-mono text-xs text-zinc-600 tabular-nums">{formatDuration(response.durationMs)}</span>
        {response.contentType && <span className="font-mono text-xs text-zinc-500">{response.contentType}</span>}
        <span className="min-w-0 flex-1 truncate text-right font-mono text-[11px] text-zinc-400" title={response.url}>
          {response.url}
        </span>
      </div>
      {toolbar}
      <DiagnosisList diagnoses={diagnoses} />
      {issues && issues.length > 0 && <OperationOutcome issues={issues} />}
      <Disclosure summary={<>Response headers ({response.headers.length})</>}>
        <HeadersTable headers={response.headers} />
      </Disclosure>
      <ResponseBody response={response} />
    </div>
  );
}
