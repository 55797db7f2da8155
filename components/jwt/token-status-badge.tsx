import { Badge } from '@/components/ui/badge';
import type { CountdownState } from './countdown-utils';

export function TokenStatusBadge({ state, refused = false }: { state: CountdownState; refused?: boolean }) {
  if (refused) {
    return (
      <Badge tone="red" dot data-testid="token-refused-badge">
        Refused
      </Badge>
    );
  }
  if (state === 'expired') {
    return (
      <Badge tone="red" dot data-testid="token-expired">
        Expired
      </Badge>
    );
  }
  if (state === 'expiring') {
    return (
      <Badge tone="amber" dot>
        Expiring soon
      </Badge>
    );
  }
  return (
    <Badge tone="green" dot>
      Live
    </Badge>
  );
}
