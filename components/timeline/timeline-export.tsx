'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { useProviders, useSession } from '@/lib/client/hooks';
import { exportFileName } from '@/lib/client/timeline/file-name';
import { toHar } from '@/lib/client/timeline/har';
import { toSupportReport } from '@/lib/client/timeline/report';
import { downloadText } from './download-text';

const CREATOR = 'Health OAuth console';

/**
 * "Export HAR" and "Support report" for the timeline header. Both are built in the browser from the session DTO,
 * which the server has already redacted; nothing is fetched that the timeline does not show.
 */
export function TimelineExport() {
  const session = useSession();
  const providers = useProviders();
  const [failure, setFailure] = useState<string | null>(null);
  const data = session.data;

  const save = async (extension: 'har' | 'md') => {
    if (!data) return;
    try {
      const now = new Date();
      // The diagram builder loads with the first export, not with the timeline (issue #17: first-load weight).
      const { sessionMermaid } = await import('@/lib/client/flow-diagram/session-mermaid');
      const sequenceDiagrams = sessionMermaid(data, providers.data?.providers ?? []);
      if (extension === 'har') {
        const har = toHar(data, { creator: CREATOR, pageTitle: document.title || CREATOR, sequenceDiagrams });
        downloadText(exportFileName(now, 'har'), `${JSON.stringify(har, null, 2)}\n`, 'application/json');
      } else {
        const report = toSupportReport({
          session: data,
          providers: providers.data?.providers ?? [],
          generatedAt: now.getTime(),
          sequenceDiagrams,
        });
        downloadText(exportFileName(now, 'md'), report, 'text/markdown');
      }
      setFailure(null);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'Could not build the file');
    }
  };

  return (
    <>
      {failure && (
        <span className="text-xs text-red-700" role="alert">
          {failure}
        </span>
      )}
      <Button
        size="sm"
        data-testid="export-har"
        disabled={!data}
        onClick={() => void save('har')}
        title="Every exchange as a HAR 1.2 file, secrets redacted"
      >
        Export HAR
      </Button>
      <Button
        size="sm"
        data-testid="export-report"
        disabled={!data}
        onClick={() => void save('md')}
        title="A Markdown summary of tokens and failed exchanges for a support ticket, secrets redacted"
      >
        Support report
      </Button>
    </>
  );
}
