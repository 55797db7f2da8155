import { useFocusResult } from '@/components/ui/result-region';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { ApiClientError, type ApiErrorBody } from '@/lib/client/api-client-error';

export interface FlowErrorCardProps {
  providerName: string;
  error: ApiErrorBody;
  /** A submit button: it starts the flow again through the token-request form. */
  formId: string;
  onDismiss: () => void;
  /** The browser has just come back with it: bring it into view, focused. */
  justReturned: boolean;
}

/**
 * An authorization that came back failed (consent denied, state mismatch, code refused, no session cookie). The
 * session keeps it, for every tab and across reloads, until it is dismissed or a new run starts.
 */
export function FlowErrorCard({ providerName, error, formId, onDismiss, justReturned }: FlowErrorCardProps) {
  // Back from a denied consent the page would open at its top: the outcome comes into view, focused (issue #16).
  const ref = useFocusResult<HTMLDivElement>(justReturned ? `${error.code}\n${error.message}` : null);
  return (
    <div ref={ref} tabIndex={-1} data-testid="flow-error" className="scroll-mt-16 space-y-2 outline-none">
      <ApiErrorCard error={new ApiClientError(0, error)} title={`The authorization with ${providerName} did not complete`} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" form={formId} size="sm" variant="primary" data-testid="authorize-again">
          Authorize again
        </Button>
        <Button size="sm" variant="ghost" onClick={onDismiss}>
          Dismiss
        </Button>
      </div>
    </div>
  );
}
