'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import type { ExchangeDto } from '@/lib/contract/schemas';
import { toCurl } from '@/lib/client/timeline/curl';
import { copyText } from './download-text';

type CopyState = { curl: string; copied: boolean } | null;

/** "Copy as curl" for one exchange: copies the command and shows it, credentials as environment variables. */
export function CopyCurl({ exchange }: { exchange: ExchangeDto }) {
  const [state, setState] = useState<CopyState>(null);

  const copy = async () => {
    const curl = toCurl(exchange);
    setState({ curl, copied: false });
    const copied = await copyText(curl);
    setState({ curl, copied });
  };

  return (
    <div className="space-y-2">
      <div className="flex items-center gap-2">
        <Button size="xs" data-testid="copy-curl" onClick={() => void copy()}>
          Copy as curl
        </Button>
        {state && (
          <span className="text-xs text-zinc-600" role="status">
            {state.copied ? 'Copied. ' : 'Select the command below to copy it. '}
            Set the variables it names first; the console never shows the secrets.
          </span>
        )}
      </div>
      {state && (
        <CodeBlock data-testid="curl-text" maxHeightClass="max-h-60">
          {state.curl}
        </CodeBlock>
      )}
    </div>
  );
}
