import type { ProviderDto, SessionDto } from '@/lib/contract/schemas';
import { buildFlowDiagram } from './build';
import { toMermaid } from './mermaid';

/** One Mermaid sequence diagram per provider the session has exchanges with, for the support report and the HAR. */
export function sessionMermaid(session: SessionDto, providers: readonly ProviderDto[]): { providerId: string; providerName: string; mermaid: string }[] {
  const ids = [...new Set(session.exchanges.map((e) => e.providerId))];
  return ids.flatMap((id) => {
    const provider = providers.find((p) => p.id === id) ?? { id, name: id, environments: [] };
    const diagram = buildFlowDiagram({ provider, exchanges: session.exchanges, tokens: session.tokens });
    return diagram.steps.length === 0 ? [] : [{ providerId: id, providerName: provider.name, mermaid: toMermaid(diagram) }];
  });
}
