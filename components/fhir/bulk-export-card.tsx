import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { ProviderDto } from '@/lib/api-client/schemas';
import { BulkJob } from './bulk-job';
import type { ActiveBulkJob } from './bulk-job-types';

export interface BulkExportCardProps {
  provider: ProviderDto;
  job: ActiveBulkJob | null;
  onDismiss: () => void;
}

/** Step 6: the job a `$export` kick-off started, followed until its files can be previewed. */
export function BulkExportCard({ provider, job, onDismiss }: BulkExportCardProps) {
  const environment = job ? provider.environments.find((env) => env.id === job.target.environmentId) : undefined;
  return (
    <Card
      data-testid="bulk-export"
      title="Bulk export"
      description="A $export kick-off answers 202 with a status URL; the console polls it until the files are ready."
      actions={
        job && (
          <>
            {environment && <Badge tone="neutral">{environment.label}</Badge>}
            <Button size="xs" variant="ghost" onClick={onDismiss}>
              Clear
            </Button>
          </>
        )
      }
    >
      {!job ? (
        <EmptyState title="No export running">
          Send one of the <span className="font-medium">bulk</span> requests above, such as Patient $export.
        </EmptyState>
      ) : !job.jobPath || !environment ? (
        <div className="rounded-lg border border-red-200 bg-red-50/60 p-3 text-xs text-red-800">
          <p className="font-semibold">The kick-off answered 202, but there is no job to follow.</p>
          <p className="mt-1">
            {job.contentLocation ? (
              <>
                Its <span className="font-mono">Content-Location</span> (
                <span className="font-mono break-all">{job.contentLocation}</span>) is not a path of this environment.
              </>
            ) : (
              <>
                The response has no <span className="font-mono">Content-Location</span> header (Bulk Data IG requires
                one).
              </>
            )}
          </p>
        </div>
      ) : (
        <BulkJob
          key={job.kickoffExchangeId}
          kickoffId={job.kickoffExchangeId}
          provider={provider}
          target={job.target}
          jobPath={job.jobPath}
          startedAt={job.startedAt}
        />
      )}
    </Card>
  );
}
