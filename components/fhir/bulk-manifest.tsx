import { Badge } from '@/components/ui/badge';
import { KeyValueList } from '@/components/ui/key-value-list';
import { parseExpiresHeader, type BulkManifest as Manifest } from '@/lib/client/bulk-export';
import { formatDateTime, formatRelativeTime } from '@/lib/client/relative-time';
import type { FlowTarget } from '@/lib/client/effective-flow';
import type { ProviderDto } from '@/lib/contract/schemas';
import { BulkFileRow } from './bulk-file-row';

export interface BulkManifestProps {
  manifest: Manifest;
  expiresHeader: string | undefined;
  provider: ProviderDto;
  target: FlowTarget;
  /** When the manifest arrived (browser clock): "in 24 h" is relative to it, so this view need not tick. */
  checkedAt: number;
  renewToken: () => Promise<void>;
}

/** The completed job: when, whether files need the token, when they expire, and the files themselves. */
export function BulkManifest({ manifest, expiresHeader, provider, target, checkedAt, renewToken }: BulkManifestProps) {
  const expires = parseExpiresHeader(expiresHeader);
  const expiresQuirk = provider.knownDeviations.some((d) => d.code === 'expires_header_format');
  const transactionMs = Date.parse(manifest.transactionTime);

  return (
    <div className="space-y-4">
      <KeyValueList
        items={[
          {
            label: 'transactionTime',
            value: (
              <>
                <span className="font-mono">{manifest.transactionTime}</span>
                {!Number.isNaN(transactionMs) && (
                  <span className="text-zinc-600"> · {formatDateTime(transactionMs)}</span>
                )}
              </>
            ),
          },
          {
            label: 'requiresAccessToken',
            value: (
              <span data-testid="bulk-requires-token">
                <span className="font-mono">
                  {manifest.requiresAccessToken === undefined ? '(absent)' : String(manifest.requiresAccessToken)}
                </span>
                <span className="text-zinc-600">
                  {' · '}
                  {manifest.requiresAccessToken === true
                    ? 'the file URLs need the bearer token. The console’s server adds the session’s token when it downloads them, so the token never reaches this page. After it expires, a new token for the same client reads the same files: the job belongs to the client, not to the token.'
                    : manifest.requiresAccessToken === false
                      ? 'the file URLs work without a token (for example signed URLs). The console still downloads them through its server.'
                      : 'the Bulk Data IG requires this field; without it, assume the files need the token.'}
                </span>
              </span>
            ),
          },
          {
            label: 'Expires',
            value: expiresHeader ? (
              <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <span className="font-mono">{expiresHeader}</span>
                {expires?.time != null && (
                  <span className="text-zinc-600">
                    {formatDateTime(expires.time)}
                    {checkedAt > 0 && <> · {formatRelativeTime(expires.time, checkedAt)}</>}
                  </span>
                )}
                {expires && !expires.httpDate && (
                  <Badge tone="violet" wrap title="RFC 9110 wants an HTTP-date here">
                    not an HTTP-date{expiresQuirk && <> · known quirk of {provider.name}</>}
                  </Badge>
                )}
              </span>
            ) : (
              <span className="text-zinc-600">(no header)</span>
            ),
          },
          ...(manifest.request ? [{ label: 'request', value: manifest.request, mono: true }] : []),
        ]}
      />

      <section>
        <h3 className="mb-1.5 text-xs font-semibold text-zinc-900">
          Output files <span className="font-normal text-zinc-600">({manifest.output.length})</span>
        </h3>
        <p className="mb-1.5 text-xs text-zinc-600">
          Download streams a file through the console’s server, which never holds it whole; this page counts bytes and
          resources as they arrive and keeps the first lines for a preview.
        </p>
        {manifest.output.length === 0 ? (
          <p className="text-xs text-zinc-600 italic">The export produced no files.</p>
        ) : (
          <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
            {manifest.output.map((file) => (
              <BulkFileRow key={file.url} file={file} providerId={provider.id} target={target} renewToken={renewToken} />
            ))}
          </ul>
        )}
      </section>

      {manifest.error.length > 0 && (
        <section>
          <h3 className="mb-1.5 text-xs font-semibold text-amber-900">
            Error files <span className="font-normal text-amber-700">({manifest.error.length})</span>
          </h3>
          <p className="mb-1.5 text-xs text-amber-800">
            OperationOutcome resources, one per line: what the server could not export. The files above may be incomplete.
          </p>
          <ul className="divide-y divide-amber-100 rounded-lg border border-amber-200 bg-amber-50/30">
            {manifest.error.map((file) => (
              <BulkFileRow key={file.url} file={file} providerId={provider.id} target={target} renewToken={renewToken} isError />
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
