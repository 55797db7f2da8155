import type { ApiClientError } from '@/lib/client/api-client-error';
import { Badge } from './badge';
import { CodeBlock } from './code-block';
import { cn } from './cn';
import { Disclosure } from './disclosure';
import { StatusCode } from './status-code';

export interface ApiErrorCardProps {
  error: ApiClientError;
  title?: string;
  className?: string;
  /** Show the upstream body expanded (default true: it is usually the most useful part). */
  upstreamOpen?: boolean;
  'data-testid'?: string;
}

/** Renders the BFF's `{ error }` shape: message, hint, the provider's own answer and zod field issues. */
export function ApiErrorCard({ error, title, className, upstreamOpen = true, ...rest }: ApiErrorCardProps) {
  const { body } = error;
  return (
    <div role="alert" className={cn('rounded-xl border border-red-200 bg-red-50/60 p-4', className)} {...rest}>
      <div className="flex flex-wrap items-center gap-2">
        <ErrorIcon />
        <p className="text-sm font-semibold text-red-900">{title ?? body.message}</p>
        <Badge tone="red" className="font-mono">
          {body.code}
        </Badge>
        {error.status > 0 && <span className="font-mono text-xs text-red-700">HTTP {error.status}</span>}
      </div>
      {title && <p className="mt-1.5 text-sm text-red-900">{body.message}</p>}
      {body.hint && (
        <p className="mt-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-xs leading-5 text-amber-900">
          <span className="font-semibold">Hint: </span>
          {body.hint}
        </p>
      )}
      {body.issues && body.issues.length > 0 && (
        <ul className="mt-2 space-y-1 text-xs text-red-900">
          {body.issues.map((issue, index) => (
            <li key={index} className="flex gap-2">
              <code className="rounded bg-red-100 px-1 font-mono text-xs">{issue.path || '(root)'}</code>
              <span>{issue.message}</span>
            </li>
          ))}
        </ul>
      )}
      {body.upstream && (
        <Disclosure
          className="mt-3"
          defaultOpen={upstreamOpen}
          summary={
            <span className="flex items-center gap-2">
              Provider answered
              <StatusCode status={body.upstream.status} />
              {body.upstream.contentType && (
                <span className="font-mono font-normal text-zinc-600">{body.upstream.contentType}</span>
              )}
            </span>
          }
        >
          <CodeBlock className="bg-white" maxHeightClass="max-h-60">
            {body.upstream.body === '' ? <span className="text-zinc-600 italic">(empty body)</span> : body.upstream.body}
          </CodeBlock>
        </Disclosure>
      )}
      {(body.exchangeId || body.requestId) && (
        <p className="mt-2 font-mono text-xs text-red-700">
          {body.exchangeId && <>exchange {body.exchangeId}</>}
          {body.exchangeId && body.requestId && ' · '}
          {body.requestId && <>request {body.requestId}</>}
        </p>
      )}
    </div>
  );
}

function ErrorIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-4 shrink-0 text-red-600" fill="none">
      <circle cx="8" cy="8" r="6.5" stroke="currentColor" strokeWidth="1.5" />
      <path d="M8 4.75v3.75M8 10.75v.5" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
