import { ExternalLink } from '@/components/flows/external-link';
import { Button } from '@/components/ui/button';
import { describeKickoffProblems, type KickoffHeaderCheck } from '@/lib/client/bulk/kickoff-headers';
import { KICKOFF_HEADERS } from '@/lib/client/bulk/kickoff';

export interface KickoffHeadersHelpProps {
  check: KickoffHeaderCheck;
  onAddHeaders: () => void;
  /** Absent when the provider has no kick-off form. */
  onUseBulkForm?: () => void;
}

/**
 * Said before a hand-typed `$export` is sent without the headers the Bulk Data IG requires (BCDA answers 400
 * "Prefer header is required"), with the two ways out: fix the headers here, or let the kick-off form build it.
 */
export function KickoffHeadersHelp({ check, onAddHeaders, onUseBulkForm }: KickoffHeadersHelpProps) {
  return (
    <div role="status" data-testid="kickoff-headers-help" className="space-y-2 rounded-lg border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
      <p>
        <span className="font-semibold">
          Bulk Data kick-off requires <span className="font-mono">Prefer: {KICKOFF_HEADERS.Prefer}</span> and{' '}
          <span className="font-mono">Accept: {KICKOFF_HEADERS.Accept}</span>.
        </span>{' '}
        {describeKickoffProblems(check.problems)}{' '}
        <ExternalLink href="https://hl7.org/fhir/uv/bulkdata/export.html#bulk-data-kick-off-request">
          FHIR Bulk Data IG 2.0, “Bulk Data Kick-off Request”
        </ExternalLink>
      </p>
      <div className="flex flex-wrap gap-2">
        <Button size="xs" variant="secondary" onClick={onAddHeaders} data-testid="kickoff-add-headers">
          {check.changes === 1 ? 'Add the header' : 'Add the headers'}
        </Button>
        {onUseBulkForm && (
          <Button size="xs" variant="secondary" onClick={onUseBulkForm} data-testid="kickoff-use-form">
            Use the Bulk export form
          </Button>
        )}
      </div>
    </div>
  );
}
