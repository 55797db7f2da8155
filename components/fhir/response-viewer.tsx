'use client';

import type { ReactNode } from 'react';
import { DiagnosisList } from '@/components/diagnostics/diagnosis-list';
import { useExchangeDiagnoses } from '@/components/diagnostics/use-exchange-diagnoses';
import { Disclosure } from '@/components/ui/disclosure';
import { HeadersTable } from '@/components/ui/headers-table';
import { StatusCode } from '@/components/ui/status-code';
import type { FhirProxyResponse } from '@/lib/contract/schemas';
import { suggestFhirPathExpressions } from '@/lib/client/fhirpath/suggestions';
import { FhirPathBox } from './fhirpath-box';
import { findOperationOutcomeIssues, formatBytes, formatDuration } from './fhir-utils';
import { OperationOutcome } from './operation-outcome';
import { ResponseBody } from './response-body';

/**
 * Status, timing, size, headers, OperationOutcome issues, a FHIRPath box and the body of one proxied FHIR response.
 * `toolbar` goes between the status line and the rest (the Bundle pager).
 */
export function ResponseViewer({ response, toolbar }: { response: FhirProxyResponse; toolbar?: ReactNode }) {
  const outcome = response.bodyKind === 'json' ? findOperationOutcomeIssues(response.json) : null;
  const diagnoses = useExchangeDiagnoses(response.exchangeId);
  return (
    <div className="space-y-3" data-testid="fhir-response">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1.5">
        <StatusCode status={response.status} text={response.statusText} className="text-xs" />
        <span className="font-mono text-xs text-zinc-600 tabular-nums" title="Time to the whole answer, measured by the server">
          {formatDuration(response.durationMs)}
        </span>
        <span className="font-mono text-xs text-zinc-600 tabular-nums" data-testid="fhir-response-size" title={`${response.size} bytes read`}>
          {formatBytes(response.size)}
        </span>
        {response.contentType && <span className="font-mono text-xs text-zinc-600">{response.contentType}</span>}
        <span className="min-w-0 flex-1 truncate text-right font-mono text-xs text-zinc-600" title={response.url}>
          {response.url}
        </span>
      </div>
      {toolbar}
      <DiagnosisList diagnoses={diagnoses} />
      {outcome && outcome.issues.length > 0 && (
        <OperationOutcome issues={outcome.issues} caption={outcome.inBundle ? 'OperationOutcome in the Bundle' : undefined} />
      )}
      <Disclosure summary={<>Response headers ({response.headers.length})</>}>
        <HeadersTable headers={response.headers} />
      </Disclosure>
      {response.bodyKind === 'json' && <FhirPathBox input={response.json} suggestions={suggestFhirPathExpressions(response.json)} />}
      <ResponseBody response={response} />
    </div>
  );
}
