import { Badge } from '@/components/ui/badge';
import type { ProviderDto } from '@/lib/contract/schemas';

type Kind = ProviderDto['environments'][number]['kind'];

export function EnvironmentKindBadge({ kind }: { kind: Kind }) {
  if (kind === 'builtin') {
    return (
      <Badge tone="green" dot>
        offline
      </Badge>
    );
  }
  if (kind === 'production') {
    return (
      <Badge tone="red" dot>
        production
      </Badge>
    );
  }
  return (
    <Badge tone="blue" dot>
      internet
    </Badge>
  );
}
