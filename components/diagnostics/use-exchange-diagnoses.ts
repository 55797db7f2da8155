'use client';

import { useMemo } from 'react';
import { useProviders, useSession } from '@/lib/client/hooks';
import { diagnoseExchange, type Diagnosis } from '@/lib/client/diagnostics/catalogue';

/** Diagnoses of one recorded exchange of this session, by id (from a FHIR response or an error). */
export function useExchangeDiagnoses(exchangeId: string | undefined): Diagnosis[] {
  const session = useSession();
  const providers = useProviders();
  return useMemo(() => {
    if (!exchangeId) return [];
    const exchange = session.data?.exchanges.find((e) => e.id === exchangeId);
    if (!exchange) return [];
    const provider = providers.data?.providers.find((p) => p.id === exchange.providerId);
    const token = session.data?.tokens.find((t) => t.providerId === exchange.providerId);
    return diagnoseExchange(exchange, { provider, token });
  }, [exchangeId, session.data, providers.data]);
}
