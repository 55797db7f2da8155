'use client';

import { useExchangeDiagnoses } from '@/components/diagnostics/use-exchange-diagnoses';
import { ExchangeDiagnoses } from '@/components/diagnostics/exchange-diagnoses';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { CodeBlock } from '@/components/ui/code-block';
import { Disclosure } from '@/components/ui/disclosure';
import { StatusCode } from '@/components/ui/status-code';
import { useFocusResult } from '@/components/ui/result-region';
import type { ApiClientError } from '@/lib/client/api-client-error';
import { readErrorBody } from '@/lib/contract/error-body';

export interface ProviderErrorCardProps {
  error: ApiClientError;
  providerName: string;
  className?: string;
  'data-testid'?: string;
}

/**
 * A failed request the provider answered, said once: what the provider said (its status and its words), one cause,
 * one fix. The console's own code and status are a footnote, not a second headline beside the provider's. Errors the
 * provider had no part in (the network, the console's own checks) keep the console's card.
 */
export function ProviderErrorCard({ error, providerName, className, ...rest }: ProviderErrorCardProps) {
  const { body } = error;
  const diagnoses = useExchangeDiagnoses(body.exchangeId);
  const focusRef = useFocusResult<HTMLDivElement>(error);
  const upstream = body.upstream;
  if (!upstream) {
    return (
      <div className={className} ref={focusRef} tabIndex={-1}>
        <ApiErrorCard error={error} {...rest} />
        <ExchangeDiagnoses className="mt-2" exchangeId={body.exchangeId} />
      </div>
    );
  }
  const said = readErrorBody(upstream.body);
  const words = [said.error, said.description].filter(Boolean).join(': ');
  const [diagnosis, ...others] = diagnoses;
  // A rejected client assertion: the console's reasons (its hint) are more exact than any generic diagnosis.
  const cause = body.clientAssertion ? `${body.message} ${body.hint ?? ''}` : (diagnosis?.explanation ?? body.message);
  const fix = diagnosis?.fix ?? (body.clientAssertion ? undefined : body.hint);
  return (
    <div ref={focusRef} tabIndex={-1} role="alert" className={`rounded-xl border border-red-200 bg-red-50/60 p-4 text-sm text-red-950 outline-none focus-visible:ring-2 focus-visible:ring-red-500 ${className ?? ''}`} {...rest}>
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1 font-semibold" data-testid="provider-said">
        {providerName} answered <StatusCode status={upstream.status} />
        {words && <span className="font-normal">“{words}”</span>}
      </p>
      <p className="mt-2 leading-6" data-testid="error-cause">
        {diagnosis && !body.clientAssertion && <span className="font-semibold">{diagnosis.title}. </span>}
        {cause}
      </p>
      {fix && (
        <p className="mt-1 leading-6" data-testid="error-fix">
          <span className="font-semibold">Fix: </span>
          {fix}
        </p>
      )}
      {others.length > 0 && (
        <ul className="mt-2 list-disc space-y-0.5 pl-5 text-xs leading-5 text-red-900" aria-label="Other possible causes">
          {others.map((d) => (
            <li key={d.id}>
              <span className="font-medium">{d.title}:</span> {d.fix}
            </li>
          ))}
        </ul>
      )}
      <Disclosure
        className="mt-3"
        defaultOpen={upstream.body.length <= 400}
        summary={<span className="text-xs">{providerName}’s whole answer{upstream.contentType ? ` (${upstream.contentType})` : ''}</span>}
      >
        <CodeBlock className="bg-white" maxHeightClass="max-h-60">
          {upstream.body === '' ? <span className="text-zinc-600 italic">(empty body)</span> : upstream.body}
        </CodeBlock>
      </Disclosure>
      <p className="mt-2 font-mono text-xs text-red-800">
        console: {body.code} · HTTP {error.status}
        {body.exchangeId && <> · exchange {body.exchangeId}</>}
      </p>
    </div>
  );
}
