'use client';

import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { useProviders } from '@/lib/client/hooks';
import { useIntrospection } from '@/lib/client/introspection';
import type { TokenDto } from '@/lib/contract/schemas';

/**
 * For opaque tokens: ask the provider what it knows of the token (RFC 7662), where the environment offers
 * introspection. The server sends the token; the page sees only the answer.
 */
export function IntrospectionSection({ token }: { token: TokenDto }) {
  const providers = useProviders();
  const introspection = useIntrospection();
  const environment = providers.data?.providers.find((p) => p.id === token.providerId)?.environments.find((e) => e.id === token.environmentId);
  if (!environment?.introspectionUrl) return null;
  const result = introspection.data;
  return (
    <section className="mt-4" data-testid="introspection">
      <div className="flex flex-wrap items-center gap-2">
        <Button size="sm" onClick={() => introspection.mutate({ providerId: token.providerId })} pending={introspection.isPending} data-testid="introspect">
          Ask the provider (introspection)
        </Button>
        <span className="font-mono text-xs text-zinc-600">POST {environment.introspectionUrl}</span>
      </div>
      {introspection.error && <ApiErrorCard className="mt-3" error={introspection.error} />}
      {result && (
        <div className="mt-3 rounded-lg border border-zinc-200 bg-white">
          <p className="flex items-center gap-2 border-b border-zinc-100 px-3 py-2 text-xs text-zinc-700">
            {result.active ? <Badge tone="green" dot>active</Badge> : <Badge tone="red" dot>inactive</Badge>}
            {result.active ? 'The provider knows this token and it is live.' : 'The provider says the token is not active (expired, revoked or unknown to this client).'}
          </p>
          {Object.keys(result.claims).length > 0 && (
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 px-3 py-2 font-mono text-xs">
              {Object.entries(result.claims).map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="text-indigo-700">{key}</dt>
                  <dd className="wrap-anywhere text-zinc-800">
                    {typeof value === 'string' ? value : JSON.stringify(value)}
                    {key === 'exp' && typeof value === 'number' && <span className="ml-2 text-zinc-600">{new Date(value * 1000).toLocaleString()}</span>}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      )}
    </section>
  );
}
