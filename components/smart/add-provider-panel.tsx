'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { TextInput } from '@/components/ui/text-input';
import { useClientKeys, useCustomProviders, useDiscover } from '@/lib/client/smart-hooks';
import type { CustomProviderDto } from '@/lib/contract/smart';
import { ClientKeysCard } from './client-keys-card';
import { DiscoveryResult } from './discovery-result';
import { ProviderConfigForm } from './provider-config-form';
import { builtinSmartSandboxUrl } from './provider-form';
import { SavedProvidersCard } from './saved-providers-card';
import { Breakable } from '@/components/ui/breakable';

export interface AddProviderPanelProps {
  /** The catalogue says the built-in sandboxes are on: offer the built-in SMART server. */
  builtinSandboxes: boolean;
  /** Opens on a saved provider's configuration. */
  initialEditId: string | null;
  onClose: () => void;
  /** After a save: the catalogue has refetched; select the provider in the workbench. */
  onSaved: (providerId: string) => void;
  onDeleted: (providerId: string) => void;
}

/**
 * Issue #8: add any SMART / OAuth provider by URL. Discover (the BFF reads both well-known documents), see what was
 * found, configure the client with live checks against it, save per user. Client keys and saved providers sit
 * beside it.
 */
export function AddProviderPanel({ builtinSandboxes, initialEditId, onClose, onSaved, onDeleted }: AddProviderPanelProps) {
  const [url, setUrl] = useState('');
  const [editId, setEditId] = useState<string | null>(initialEditId);
  const [savedNote, setSavedNote] = useState<string | null>(null);
  const discover = useDiscover();
  const keys = useClientKeys();
  const saved = useCustomProviders();
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    ref.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, []);

  const editing = editId ? (saved.data?.find((p) => p.id === editId) ?? null) : null;
  const discovered = discover.data && discover.variables ? { url: discover.variables.url.trim(), dto: discover.data } : null;
  // Editing: the fresh discovery when it is of the same URL, else what the save recorded.
  const target = editing
    ? { url: editing.discoveryUrl, server: discovered?.url === editing.discoveryUrl && discovered.dto.server ? discovered.dto.server : editing.server }
    : discovered?.dto.server
      ? { url: discovered.url, server: discovered.dto.server }
      : null;

  const run = (value: string) => {
    setSavedNote(null);
    discover.mutate({ url: value });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (discover.isPending || url.trim() === '') return;
    setEditId(null);
    run(url.trim());
  };

  const startEdit = (p: CustomProviderDto) => {
    setSavedNote(null);
    setEditId(p.id);
    setUrl(p.discoveryUrl);
  };

  const afterSave = (p: CustomProviderDto) => {
    setSavedNote(`Saved ${p.name}. It is selected in the workbench above with its saved credentials: press Get token or Authorize there.`);
    setEditId(p.id);
    onSaved(p.id);
  };

  return (
    <section ref={ref} aria-labelledby="add-provider-title" className="scroll-mt-4 rounded-xl border border-indigo-200 bg-indigo-50/30 p-4" data-testid="add-provider-panel">
      <div className="mb-4 flex items-start justify-between gap-3">
        <div>
          <h2 id="add-provider-title" className="text-sm font-semibold text-zinc-900">
            {editing ? `Edit ${editing.name}` : 'Add a SMART / OAuth provider'}
          </h2>
          <p className="mt-0.5 max-w-3xl text-xs text-zinc-600">
            Type an issuer or FHIR base URL. The console server reads its <code className="font-mono">.well-known/smart-configuration</code>{' '}
            and <code className="font-mono">.well-known/openid-configuration</code>, shows what it found, and checks your client configuration
            against it before any token request is made.
          </p>
        </div>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>

      <div className="grid items-start gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(0,28rem)]">
        <div className="min-w-0 space-y-4">
          <Card title="Discover" description="What does the server say about itself?">
            <form onSubmit={onSubmit} noValidate aria-label="Discover a server" className="space-y-2">
              <Field htmlFor="smart-discovery-url" label="Issuer or FHIR base URL">
                <div className="flex gap-2">
                  <TextInput
                    id="smart-discovery-url"
                    type="url"
                    inputMode="url"
                    spellCheck={false}
                    placeholder="https://fhir.example.org/r4"
                    value={url}
                    onChange={(e) => setUrl(e.target.value)}
                    className="font-mono text-xs"
                  />
                  <Button type="submit" variant="primary" pending={discover.isPending} disabled={url.trim() === ''}>
                    Discover
                  </Button>
                </div>
              </Field>
              {builtinSandboxes && (
                <p className="flex flex-wrap items-center gap-2 text-xs text-zinc-600">
                  Or try the console’s own standards SMART server:
                  <Button
                    size="sm"
                    onClick={() => {
                      const builtin = builtinSmartSandboxUrl(window.location.origin);
                      setUrl(builtin);
                      setEditId(null);
                      run(builtin);
                    }}
                    disabled={discover.isPending}
                  >
                    Built-in SMART sandbox
                  </Button>
                </p>
              )}
            </form>
            {discover.error && <ApiErrorCard className="mt-3" error={discover.error} title="Discovery failed" />}
            {discovered && !editing && (
              <div className="mt-4">
                <DiscoveryResult discovery={discovered.dto} />
              </div>
            )}
          </Card>

          {savedNote && (
            <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-xs text-emerald-900" data-testid="provider-saved">
              {savedNote}
            </p>
          )}

          {target && (
            <Card
              title={editing ? 'Configuration' : 'Configure your client'}
              description={<span className="font-mono wrap-anywhere"><Breakable text={target.url} /></span>}
            >
              <ProviderConfigForm
                key={`${editing?.id ?? 'new'}:${target.url}:${discover.submittedAt}`}
                discoveryUrl={target.url}
                server={target.server}
                saved={editing}
                keys={keys.data?.keys ?? []}
                onSaved={afterSave}
                onCancel={() => {
                  setEditId(null);
                  discover.reset();
                }}
              />
            </Card>
          )}
          {discovered && !discovered.dto.server && !editing && discovered.dto.ok && (
            <p className="text-xs text-zinc-600">Nothing usable was found, so there is nothing to configure yet.</p>
          )}
        </div>

        <div className="min-w-0 space-y-4">
          <ClientKeysCard />
          <SavedProvidersCard
            editingId={editId}
            onEdit={startEdit}
            onDeleted={(id) => {
              if (id === editId) setEditId(null);
              setSavedNote(null);
              onDeleted(id);
            }}
          />
        </div>
      </div>
    </section>
  );
}
