import { Breakable } from '@/components/ui/breakable';
import type { ReactNode } from 'react';
import { formatSeconds } from '@/components/jwt/fact-utils';
import type { FlowEndpoints } from '@/lib/client/effective-flow';
import type { GrantDto, ProviderDto } from '@/lib/contract/schemas';
import { describeGrant } from './credential-options';

export interface GrantRecipeProps {
  provider: ProviderDto;
  /** The effective grant of the credential choice (a preset may run another grant than its provider). */
  grant: GrantDto;
  endpoints: FlowEndpoints;
}

/** The grant in words, then as the request lines the browser and the server will send. */
export function GrantRecipe({ provider, grant, endpoints }: GrantRecipeProps) {
  return (
    <div>
      <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Grant recipe</p>
      <p className="mt-1 text-sm font-medium text-zinc-900" data-testid="grant-recipe">
        {describeGrant(grant)}
      </p>
      {grant.grantType === 'authorization_code' ? (
        <ol className="mt-1.5 space-y-1.5">
          <RecipeStep number={1} who="Browser" method="GET" url={endpoints.authorizeUrl ?? '(no authorize endpoint)'}>
            response_type=code · state{grant.stateMinLength > 0 && ` (≥ ${grant.stateMinLength} chars)`}
            {grant.codeBinding.method === 'pkce_s256' && ' · code_challenge (S256)'}
            {grant.codeBinding.method === 'oidc_nonce' && ' · nonce'}
          </RecipeStep>
          <RecipeStep number={2} who="Server" method={grant.httpMethod} url={endpoints.tokenUrl}>
            grant_type=authorization_code · code · redirect_uri{grant.codeBinding.method === 'pkce_s256' && ' · code_verifier'}
            {clientAuthFields[grant.clientAuth]}
          </RecipeStep>
        </ol>
      ) : (
        <>
          <p className="mt-1 font-mono text-xs wrap-anywhere text-zinc-600">
            <span className="font-semibold text-indigo-700">{grant.httpMethod}</span> <Breakable text={endpoints.tokenUrl} />
          </p>
          {grant.clientAuth === 'basic' && (
            <p className="mt-0.5 font-mono text-xs text-zinc-600">Authorization: Basic base64(client_id:client_secret)</p>
          )}
          {grant.clientAuth === 'private_key_jwt' && (
            <p className="mt-0.5 font-mono text-xs text-zinc-600">
              grant_type=client_credentials · client_assertion_type=…jwt-bearer · client_assertion=(signed per request)
            </p>
          )}
          {grant.scopes.length > 0 && (
            <p className="mt-0.5 font-mono text-xs text-zinc-600">scope={grant.scopes.join(' ')}</p>
          )}
        </>
      )}
      {grant.grantType === 'authorization_code' && <CodeBindingNote binding={grant.codeBinding} />}
      <p className="mt-2 text-xs text-zinc-600">
        <span data-testid="documented-lifetime">Documented lifetime {formatSeconds(grant.documentedTokenLifetimeSeconds)}.</span>{' '}
        {provider.tokenReuse.reuseLiveToken && grant.grantType === 'client_credentials' &&
          'The server reuses a live token for the same credentials.'}
      </p>
    </div>
  );
}

/** What binds the code to this browser when it is not PKCE: the nonce, or the risk named (SECURITY.md rule 14). */
function CodeBindingNote({ binding }: { binding: GrantDto['codeBinding'] }) {
  if (binding.method === 'pkce_s256') return null;
  const unbound = binding.method === 'none';
  return (
    <div
      role="note"
      data-testid="code-binding"
      className={`mt-2 rounded-md px-2.5 py-2 text-xs leading-5 ${unbound ? 'bg-amber-50 text-amber-900 ring-1 ring-amber-200' : 'bg-zinc-50 text-zinc-700'}`}
    >
      <p className="font-medium">
        {unbound
          ? 'No PKCE, and nothing else binds the code to this browser.'
          : 'No PKCE: the ID token’s nonce binds the code to this browser instead.'}
      </p>
      <p>
        {unbound
          ? binding.risk
          : 'Each run sends a fresh nonce; an ID token whose nonce differs (a code from another run) is refused and no token is kept.'}
      </p>
      <p className="mt-1 text-zinc-600">Why no PKCE: {binding.pkceRefusal}</p>
    </div>
  );
}

function RecipeStep({
  number,
  who,
  method,
  url,
  children,
}: {
  number: number;
  who: string;
  method: string;
  url: string;
  children: ReactNode;
}) {
  return (
    <li className="flex gap-2">
      <span
        aria-hidden="true"
        className="mt-0.5 flex size-4 shrink-0 items-center justify-center rounded-full bg-zinc-100 text-xs font-semibold text-zinc-600 ring-1 ring-zinc-200"
      >
        {number}
      </span>
      <div className="min-w-0">
        <p className="font-mono text-xs wrap-anywhere text-zinc-600">
          <span className="font-sans text-xs text-zinc-600">{who} · </span>
          <span className="font-semibold text-indigo-700">{method}</span> <Breakable text={url} />
        </p>
        <p className="mt-0.5 font-mono text-xs text-zinc-600">{children}</p>
      </div>
    </li>
  );
}

const clientAuthFields: Record<GrantDto['clientAuth'], string> = {
  basic: ' · Authorization: Basic …',
  form: ' · client_id · client_secret',
  json: ' · client_id · client_secret',
  private_key_jwt: ' · client_assertion (signed JWT, fresh jti)',
  none: ' · client_id',
};
