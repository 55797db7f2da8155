import { Badge } from '@/components/ui/badge';
import type { CountdownState } from './countdown-utils';

export interface TokenStatusBadgeProps {
  state: CountdownState;
  refused?: boolean;
  /** One test id for every state (the status bar's); without it each state has its own. */
  'data-testid'?: string;
}

export function TokenStatusBadge({ state, refused = false, 'data-testid': testId }: TokenStatusBadgeProps) {
  if (refused) {
    return (
      <Badge tone="red" dot data-testid={testId ?? 'token-refused-badge'}>
        Refused
      </Badge>
    );
  }
  if (state === 'expired') {
    return (
      <Badge tone="red" dot data-testid={testId ?? 'token-expired'}>
        Expired
      </Badge>
    );
  }
  if (state === 'expiring') {
    return (
      <Badge tone="amber" dot data-testid={testId}>
        Expiring soon
      </Badge>
    );
  }
  return (
    <Badge tone="green" dot data-testid={testId}>
      Live
    </Badge>
  );
}
