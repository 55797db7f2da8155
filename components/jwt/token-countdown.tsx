import { ProgressBar } from '@/components/ui/progress-bar';
import { cn } from '@/components/ui/cn';
import type { Countdown } from './countdown-utils';

const numberTone = {
  fresh: 'text-zinc-900',
  expiring: 'text-amber-600',
  expired: 'text-red-600',
} as const;

const barTone = { fresh: 'green', expiring: 'amber', expired: 'red' } as const;

/** The mm:ss to expiry on the server's clock, with a bar of the lifetime left. */
export function TokenCountdown({ countdown, refused = false }: { countdown: Countdown | null; refused?: boolean }) {
  // A refused token is over whatever its expiry says: the clock shows what is left of a lifetime that no longer counts.
  const state = refused ? 'expired' : (countdown?.state ?? 'fresh');
  return (
    <div className="min-w-0">
      <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">
        {refused ? 'Refused · nominal expiry in' : state === 'expired' ? 'Expired' : 'Expires in'}
      </p>
      <p
        data-testid="token-countdown"
        data-state={refused ? 'refused' : countdown?.state}
        aria-live="off"
        className={cn('mt-0.5 font-mono text-3xl leading-none font-semibold tabular-nums', numberTone[state])}
      >
        {countdown?.label ?? '--:--'}
      </p>
      <ProgressBar
        className="mt-3"
        value={countdown ? countdown.fraction * 100 : 0}
        tone={barTone[state]}
        label="Token lifetime left"
      />
    </div>
  );
}
