'use client';

import type { EndedTokenDto } from '@/lib/contract/schemas';
import { lifecycleOfEnded } from '@/lib/client/lifecycle';
import { LifecycleEvents } from './token-lifecycle';

/** The life of the provider's last token after the provider ended it: no token is left, only its story. */
export function EndedTokenHistory({ ended }: { ended: EndedTokenDto }) {
  return (
    <section className="mt-3 rounded-lg border border-zinc-200 bg-white px-3 py-2" data-testid="ended-token">
      <h3 className="mb-2 text-xs font-semibold text-zinc-900">
        Last token <span className="font-normal text-zinc-600">· {ended.credentialLabel}</span>
      </h3>
      <LifecycleEvents events={lifecycleOfEnded(ended)} now={0} />
    </section>
  );
}
