import { CodeBlock } from '@/components/ui/code-block';
import { formatBody } from './timeline-utils';

/** A request or response body from the timeline, already redacted by the server. */
export function ExchangeBody({ body, emptyLabel = 'No body' }: { body: string | null; emptyLabel?: string }) {
  if (body === null || body === '') return <p className="text-xs text-zinc-600 italic">{emptyLabel}</p>;
  const formatted = formatBody(body);
  return (
    <CodeBlock maxHeightClass="max-h-72" className={formatted.json ? undefined : 'text-zinc-700'}>
      {formatted.text}
    </CodeBlock>
  );
}
