import { Badge } from '@/components/ui/badge';
import type { TokenVerification } from '@/lib/contract/schemas';

const presentation = {
  verified: { tone: 'green', label: 'Signature verified' },
  failed: { tone: 'red', label: 'Signature check failed' },
  unverifiable: { tone: 'neutral', label: 'Cannot verify signature' },
} as const;

export function VerificationBadge({ verification }: { verification: TokenVerification }) {
  const { tone, label } = presentation[verification.status];
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1" data-testid="token-verification">
      <Badge tone={tone} dot data-status={verification.status}>
        {label}
      </Badge>
      {(verification.alg || verification.kid) && (
        <span className="font-mono text-xs text-zinc-600">
          {verification.alg}
          {verification.alg && verification.kid && ' · '}
          {verification.kid && <>kid {verification.kid}</>}
        </span>
      )}
      <span className="text-xs text-zinc-600">{verification.reason}</span>
    </div>
  );
}
