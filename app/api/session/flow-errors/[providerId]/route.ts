import { providerParamsSchema } from '@/lib/contract/route-params';
import { defineRoute } from '@/lib/http/define-route';
import { getVault } from '@/lib/session';

export const dynamic = 'force-dynamic';

/** Dismisses the explained failure of the provider's last authorization callback, in this session. */
export const DELETE = defineRoute({ params: providerParamsSchema, session: 'optional' }, async ({ params, session }) => {
  if (session) await getVault().dropFlowError(session.sid, params.providerId);
  return { ok: true };
});
