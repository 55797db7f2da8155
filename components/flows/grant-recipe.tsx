import type { ProviderDto } from '@/lib/api-client/schemas';
import { describeGrant } from './credential-options';

/** The token request in words, then as the request line the server will send. */
export function GrantRecipe({ provider, tokenUrl }: { provider: ProviderDto; tokenUrl: string }) {
  return (
    <div>
      <p className="text-[11px] font-medium tracking-wide text-zinc-500 uppercase">Grant recipe</p>
      <p className="mt-1 text-sm font-medium text-zinc-900" data-testid="grant-recipe">
        {describeGrant(provider.grant)}
      </p>
      <p className="mt-1 font-mono text-xs break-all text-zinc-600">
        <span className="font-semibold text-indigo-700">{provider.grant.httpMethod}</span> {tokenUrl}
      </p>
      {provider.grant.clientAuth === 'basic' && (
        <p className="mt-0.5 font-mono text-xs text-zinc-500">Authorization: Basic base64(client_id:client_secret)</p>
      )}
      {provider.grant.scopes.length > 0 && (
        <p className="mt-0.5 font-mono text-xs text-zinc-500">scope={provider.grant.scopes.join(' ')}</p>
      )}
      <p className="mt-2 text-xs text-zinc-500">
        Documented lifetime {Math.round(provider.documentedTokenLifetimeSeconds / 60)} min.{' '}
        {provider.tokenReuse.reuseLiveToken && 'The server reuses a live token for the same credentials.'}
      </p>
    </div>
  );
}
