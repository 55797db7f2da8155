'use client';

import { useRef, useState } from 'react';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { Disclosure } from '@/components/ui/disclosure';
import { EmptyState } from '@/components/ui/empty-state';
import { controlClass } from '@/components/ui/field';
import { JsonTree } from '@/components/ui/json-tree';
import { Select } from '@/components/ui/select';
import { Spinner } from '@/components/ui/spinner';
import { OneTimeSecret } from '@/lib/client/one-time-secret';
import { formatDateTime } from '@/lib/client/relative-time';
import { useClientKeys, useCreateClientKey, useDeleteClientKey } from '@/lib/client/smart-hooks';
import type { ClientKeyDto } from '@/lib/contract/smart';
import { shortenKid } from './provider-form';
import { Breakable } from '@/components/ui/breakable';

/**
 * The console's client keys for private_key_jwt: generated or imported on the server, only public halves here.
 * Pasted private key material goes from an uncontrolled textarea into a OneTimeSecret for the one request, and the
 * textarea is emptied at once: it never enters React state, the query cache or storage.
 */
export function ClientKeysCard() {
  const keys = useClientKeys();
  const create = useCreateClientKey();
  const remove = useDeleteClientKey();
  const materialRef = useRef<HTMLTextAreaElement>(null);
  const [importAlg, setImportAlg] = useState<'' | 'RS384' | 'ES384'>('');
  const [confirming, setConfirming] = useState<string | null>(null);

  const importKey = () => {
    const input = materialRef.current;
    if (!input) return;
    const material = new OneTimeSecret(input.value);
    input.value = '';
    create.mutate({ action: 'import', material, ...(importAlg ? { alg: importAlg } : {}) });
  };

  const generating = create.isPending && create.variables.action === 'generate' ? create.variables.alg : null;

  return (
    <Card
      data-testid="client-keys"
      title="Client keys"
      description="Sign client assertions (private_key_jwt) for SMART Backend Services."
    >
      {keys.isPending && (
        <p className="flex items-center gap-2 text-xs text-zinc-600">
          <Spinner /> Loading keys…
        </p>
      )}
      {keys.error && <ApiErrorCard error={keys.error} title="Could not load the client keys" />}
      {keys.data && (
        <div className="space-y-3">
          <div className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2.5">
            <div className="flex items-center justify-between gap-2">
              <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Your JWKS URL</p>
              <CopyButton text={keys.data.jwksUrl} label="Copy URL" />
            </div>
            <p className="mt-1 font-mono text-xs wrap-anywhere text-zinc-900" data-testid="jwks-url">
              <Breakable text={keys.data.jwksUrl} />
            </p>
            <p className="mt-1.5 text-xs leading-5 text-zinc-600">
              Register this URL at the provider as your client’s JWKS URL. It publishes the public halves of the keys
              below; the private halves never leave the console server, which signs a fresh assertion for every
              token request.
            </p>
          </div>

          <div className="flex flex-wrap items-center gap-2">
            <Button size="sm" onClick={() => create.mutate({ action: 'generate', alg: 'ES384' })} pending={generating === 'ES384'} disabled={create.isPending}>
              Generate ES384
            </Button>
            <Button size="sm" onClick={() => create.mutate({ action: 'generate', alg: 'RS384' })} pending={generating === 'RS384'} disabled={create.isPending}>
              Generate RS384
            </Button>
            <span className="text-xs text-zinc-600">on the server</span>
          </div>

          {keys.data.keys.length === 0 ? (
            <EmptyState title="No keys yet">Generate an ES384 or RS384 key, or import one you already registered.</EmptyState>
          ) : (
            <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
              {keys.data.keys.map((key) => (
                <KeyRow
                  key={key.kid}
                  clientKey={key}
                  confirming={confirming === key.kid}
                  onAskDelete={() => {
                    remove.reset();
                    setConfirming(key.kid);
                  }}
                  onCancel={() => setConfirming(null)}
                  onDelete={() => remove.mutate({ kid: key.kid }, { onSuccess: () => setConfirming(null) })}
                  deleting={remove.isPending && remove.variables.kid === key.kid}
                />
              ))}
            </ul>
          )}
          {remove.error && (
            <ApiErrorCard
              error={remove.error}
              title={remove.error.status === 409 ? 'This key is still in use' : 'Could not delete the key'}
              data-testid="key-delete-error"
            />
          )}
          {remove.error?.status === 409 && !remove.error.body.hint && (
            <p className="text-xs text-zinc-600">
              A saved provider signs its assertions with this key. Switch that provider to another key (Edit) or delete
              it first; deleting the key would break its next token request.
            </p>
          )}

          <Disclosure summary="Import a key you already registered">
            <div className="space-y-2">
              <label htmlFor="client-key-material" className="block text-xs leading-5 text-zinc-600">
                A private key as PEM (PKCS#8, <code className="font-mono">-----BEGIN PRIVATE KEY-----</code>) or a private JWK
                as JSON. It is sent once to the console server and not shown again.
              </label>
              <textarea
                id="client-key-material"
                ref={materialRef}
                rows={5}
                autoComplete="off"
                spellCheck={false}
                className={`${controlClass} py-2 font-mono text-xs`}
                placeholder="-----BEGIN PRIVATE KEY-----"
              />
              <div className="flex items-center gap-2">
                <div className="w-48">
                  <label htmlFor="client-key-alg" className="sr-only">
                    Algorithm
                  </label>
                  <Select id="client-key-alg" value={importAlg} onChange={(e) => setImportAlg(e.target.value as typeof importAlg)}>
                    <option value="">alg from the key</option>
                    <option value="ES384">ES384</option>
                    <option value="RS384">RS384</option>
                  </Select>
                </div>
                <Button onClick={importKey} pending={create.isPending && create.variables.action === 'import'} disabled={create.isPending}>
                  Import key
                </Button>
              </div>
            </div>
          </Disclosure>
          {create.error && <ApiErrorCard error={create.error} title={create.variables?.action === 'import' ? 'Could not import the key' : 'Could not generate a key'} />}
        </div>
      )}
    </Card>
  );
}

interface KeyRowProps {
  clientKey: ClientKeyDto;
  confirming: boolean;
  deleting: boolean;
  onAskDelete: () => void;
  onCancel: () => void;
  onDelete: () => void;
}

function KeyRow({ clientKey: key, confirming, deleting, onAskDelete, onCancel, onDelete }: KeyRowProps) {
  return (
    <li className="px-3 py-2.5 text-xs" data-testid="client-key" data-kid={key.kid}>
      <div className="flex items-start justify-between gap-2">
        <div className="flex min-w-0 flex-wrap items-center gap-1.5">
          <code className="font-mono font-semibold text-zinc-900" title={key.kid}>
            {shortenKid(key.kid)}
          </code>
          <Badge tone="indigo">{key.alg}</Badge>
          <Badge tone={key.source === 'generated' ? 'green' : 'violet'}>{key.source}</Badge>
        </div>
        <span className="flex shrink-0 items-center gap-1.5">
          {confirming ? (
            <>
              <span className="text-red-700">Delete this key?</span>
              <Button size="xs" variant="danger" onClick={onDelete} pending={deleting}>
                Delete
              </Button>
              <Button size="xs" variant="ghost" onClick={onCancel}>
                Cancel
              </Button>
            </>
          ) : (
            <Button size="xs" variant="ghost" onClick={onAskDelete} aria-label={`Delete key ${key.kid}`}>
              Delete
            </Button>
          )}
        </span>
      </div>
      <p className="mt-1 text-zinc-600">
        Created {formatDateTime(Date.parse(key.createdAt))} ·{' '}
        {key.usedBy.length === 0 ? (
          <span className="text-zinc-600">not used by a saved provider</span>
        ) : (
          <>signs for {key.usedBy.map((p) => p.name).join(', ')}</>
        )}
      </p>
      <Disclosure className="mt-1.5" summary="Public JWK">
        <div className="rounded-lg border border-zinc-200 bg-zinc-50 p-2">
          <JsonTree value={key.publicJwk} defaultOpenDepth={1} />
        </div>
      </Disclosure>
    </li>
  );
}
