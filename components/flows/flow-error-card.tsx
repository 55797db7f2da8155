import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { ApiClientError, type ApiErrorBody } from '@/lib/client/api-client-error';

export interface FlowErrorCardProps {
  providerName: string;
  error: ApiErrorBody;
  /** A submit button: it starts the flow again through the token-request form. */
  formId: string;
  onDismiss: () => void;
}

/**
 * An authorization that came back failed (consent denied, state mismatch, code refused, no session cookie). The
 * session keeps it, for every tab and across reloads, until it is dismissed or a new run starts.
 */
export function FlowErrorCard({ providerName, error, formId, onDismiss }: FlowErrorCardProps) {
  return (
    <div data-testid="flow-error" className="space-y-2">
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
