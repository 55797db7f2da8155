'use client';

import { useRef, useState, type FormEvent } from 'react';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { controlClass, Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TextInput } from '@/components/ui/text-input';
import { OneTimeSecret } from '@/lib/client/one-time-secret';
import { useRegisterClient, useSaveCustomProvider } from '@/lib/client/smart-hooks';
import type { ClientKeyDto, CustomProviderDto, DiscoveredServerDto } from '@/lib/contract/smart';
import { checkConfiguration } from '@/lib/smart/config-checks';
import { describeServers } from '@/lib/smart/credential-binding';
import { FindingCounts, FindingList } from './finding-list';
import { Breakable } from '@/components/ui/breakable';
import {
  changeGrant,
  chooseKey,
  countFindings,
  formFindings,
  formFromSaved,
  initialFormState,
  parseScopes,
  prefersV1Scopes,
  provisionalRedirectUri,
  scopeSyntax,
  serverChangeOf,
  shortenKid,
  toCustomProviderInput,
  toIntendedConfiguration,
  toServerFacts,
  usesSecret,
  type ClientAuth,
  type ProviderFormState,
} from './provider-form';

export interface ProviderConfigFormProps {
  discoveryUrl: string;
  server: DiscoveredServerDto;
  /** Set when editing a saved provider. */
  saved: CustomProviderDto | null;
  keys: readonly ClientKeyDto[];
  onSaved: (provider: CustomProviderDto) => void;
  onCancel: () => void;
}

const clientAuthLabels: Record<ClientAuth, string> = {
  client_secret_basic: 'client_secret_basic — secret in HTTP Basic',
  client_secret_post: 'client_secret_post — secret in the form body',
  private_key_jwt: 'private_key_jwt — signed client assertion',
  none: 'none — public client',
};

/**
 * The intended client configuration, checked live against the discovered metadata (lib/smart/config-checks) as the
 * user edits. Saving stays possible with errors: the metadata may be wrong, and the user may know better.
 */
export function ProviderConfigForm({ discoveryUrl, server, saved, keys, onSaved, onCancel }: ProviderConfigFormProps) {
  const [form, setForm] = useState<ProviderFormState>(() => (saved ? formFromSaved(saved) : initialFormState(discoveryUrl, server, keys)));
  /** The server change the user confirmed the key for; a later change of URL needs a new confirmation. */
  const [keyConfirmedFor, setKeyConfirmedFor] = useState<string | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  const save = useSaveCustomProvider();
  const register = useRegisterClient();

  const set = <K extends keyof ProviderFormState>(field: K, value: ProviderFormState[K]) => setForm((f) => ({ ...f, [field]: value }));

  // A key generated after discovery (or a deleted one) is picked up without a click.
  const keyKid = keys.some((k) => k.kid === form.keyKid) ? form.keyKid : chooseKey(keys, server);
  const effective = { ...form, keyKid };
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  const redirectUri = saved?.redirectUri ?? provisionalRedirectUri(origin);
  const config = toIntendedConfiguration(effective, keys, redirectUri);
  const canRegister = !!server.registration_endpoint && form.clientAuth === 'private_key_jwt';
  const findings = [...checkConfiguration(toServerFacts(server), config), ...formFindings(effective, canRegister)];
  const counts = countFindings(findings);
  /** Marks a control red while a check says the request will fail because of it. */
  const invalid = (...fields: string[]) => findings.some((f) => f.severity === 'error' && f.field !== undefined && fields.includes(f.field)) || undefined;
  const syntax = scopeSyntax(config.scopes);
  const selectedKey = keys.find((k) => k.kid === keyKid);
  const authCode = form.grant === 'authorization_code';
  // An app client registers its redirect URI, which exists only once the provider is saved.
  const registerBlocked = keys.length === 0 ? 'Generate a client key first' : authCode && !saved ? 'Save first: an app client registers its redirect URI, known after saving' : null;
  // SECURITY.md rule 15: a saved secret or key belongs to the server it was saved for; pointing the provider at
  // another one asks for the secret again, or for the key to be confirmed for it.
  const serverChange = saved ? serverChangeOf(saved, { discoveryUrl, fhirBaseUrl: form.fhirBaseUrl, server }, origin) : [];
  const servers = serverChange.length > 0 ? describeServers(serverChange) : null;
  const changeKey = JSON.stringify(serverChange);
  const secretNeededAgain = servers !== null && usesSecret(form.clientAuth) && saved?.hasClientSecret === true;
  const keyNeedsConfirming = servers !== null && form.clientAuth === 'private_key_jwt';
  const keyConfirmed = keyNeedsConfirming && keyConfirmedFor === changeKey;
  const credentialMoves = secretNeededAgain ? 'enter the client secret again' : keyNeedsConfirming ? 'confirm the signing key for it' : null;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    const input = toCustomProviderInput(effective, discoveryUrl, keys, saved?.redirectUri);
    const secretInput = secretRef.current;
    const secret = secretInput && usesSecret(form.clientAuth) ? secretInput.value : '';
    if (secretInput) secretInput.value = '';
    save.mutate(
      {
        id: saved?.id ?? null,
        input: { ...input, ...(secret !== '' ? { clientSecret: new OneTimeSecret(secret) } : {}), ...(keyConfirmed ? { keyConfirmedForNewServer: true } : {}) },
      },
      { onSuccess: onSaved },
    );
  };

  const registerHere = () =>
    register.mutate(
      {
        discoveryUrl,
        clientName: form.name.trim() || undefined,
        grant: form.grant,
        scopes: parseScopes(form.scopes),
        ...(authCode && saved ? { providerId: saved.id } : {}),
        ...(form.dpop ? { dpopBoundAccessTokens: true } : {}),
      },
      { onSuccess: (answer) => set('clientId', answer.clientId) },
    );

  return (
    <form onSubmit={onSubmit} noValidate autoComplete="off" aria-label="Provider configuration" className="space-y-4" data-testid="provider-config-form">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field htmlFor="smart-name" label="Provider name">
          <TextInput id="smart-name" value={form.name} onChange={(e) => set('name', e.target.value)} maxLength={80} />
        </Field>
        <Field htmlFor="smart-environment-kind" label="Environment kind" hint="Production marks the provider red everywhere.">
          <Select id="smart-environment-kind" value={form.environmentKind} onChange={(e) => set('environmentKind', e.target.value as ProviderFormState['environmentKind'])}>
            <option value="sandbox">Sandbox</option>
            <option value="production">Production</option>
          </Select>
        </Field>
        <Field htmlFor="smart-grant" label="Grant">
          <Select id="smart-grant" aria-invalid={invalid('grant')} value={form.grant} onChange={(e) => setForm((f) => changeGrant(f, e.target.value as ProviderFormState['grant'], server))}>
            <option value="authorization_code">Authorization code — SMART App Launch</option>
            <option value="client_credentials">Client credentials — SMART Backend Services</option>
          </Select>
        </Field>
        <Field htmlFor="smart-client-auth" label="Client authentication" hint={advertised(server.token_endpoint_auth_methods_supported)}>
          <Select id="smart-client-auth" aria-invalid={invalid('clientAuth')} value={form.clientAuth} onChange={(e) => set('clientAuth', e.target.value as ClientAuth)}>
            {(Object.keys(clientAuthLabels) as ClientAuth[]).map((m) => (
              <option key={m} value={m}>
                {clientAuthLabels[m]}
              </option>
            ))}
          </Select>
        </Field>
        {authCode && (
          <>
            <Field htmlFor="smart-pkce" label="PKCE" hint={advertised(server.code_challenge_methods_supported)}>
              <Select id="smart-pkce" aria-invalid={invalid('pkce')} value={form.pkce} onChange={(e) => set('pkce', e.target.value as ProviderFormState['pkce'])}>
                <option value="S256">S256</option>
                <option value="none">none</option>
              </Select>
            </Field>
            <Field htmlFor="smart-launch" label="Launch">
              <Select id="smart-launch" aria-invalid={invalid('launch')} value={form.launch} onChange={(e) => set('launch', e.target.value as ProviderFormState['launch'])}>
                <option value="standalone">Standalone launch</option>
                <option value="ehr">EHR launch</option>
              </Select>
            </Field>
            <Field
              htmlFor="smart-par"
              label="Pushed authorization requests (PAR)"
              hint={
                server.pushed_authorization_request_endpoint
                  ? `Offered${server.require_pushed_authorization_requests ? ' and required' : ''}: RFC 9126.`
                  : 'The server offers none: requests go through the browser.'
              }
            >
              <Select id="smart-par" aria-invalid={invalid('par')} value={form.par} onChange={(e) => set('par', e.target.value as ProviderFormState['par'])}>
                <option value="when_offered">When offered: push, the browser carries only request_uri</option>
                <option value="never">Never: send the parameters through the browser</option>
              </Select>
            </Field>
          </>
        )}
        <div className="sm:col-span-2">
          <label className="flex items-start gap-2 text-sm text-zinc-800">
            <input
              id="smart-dpop"
              type="checkbox"
              className="mt-1 size-4 shrink-0"
              checked={form.dpop}
              aria-invalid={invalid('dpop')}
              aria-describedby="smart-dpop-hint"
              onChange={(e) => set('dpop', e.target.checked)}
              data-testid="smart-dpop"
            />
            <span>
              <span className="font-medium">Sender-constrained tokens (DPoP)</span>
              <span id="smart-dpop-hint" className="block text-xs leading-5 text-zinc-600">
                RFC 9449: every token and API request carries a proof signed by a key the console keeps on its server, so a copied token is useless.{' '}
                {advertised(server.dpop_signing_alg_values_supported)}
              </span>
            </span>
          </label>
        </div>
        <Field
          htmlFor="smart-scopes"
          className="sm:col-span-2"
          label={
            <span className="flex flex-wrap items-center gap-1.5">
              Scopes
              {syntax.v1 > 0 && <Badge tone="neutral">{syntax.v1} SMART v1</Badge>}
              {syntax.v2 > 0 && <Badge tone="neutral">{syntax.v2} SMART v2</Badge>}
              {syntax.malformed > 0 && <Badge tone="red">{syntax.malformed} malformed</Badge>}
            </span>
          }
          hint={
            prefersV1Scopes(server)
              ? 'The server advertises SMART v1 permissions only: context/Type.read|write|*.'
              : 'Separated by spaces. SMART v2: context/Type.cruds (patient/Observation.rs).'
          }
        >
          <textarea
            id="smart-scopes"
            aria-invalid={invalid('scopes')}
            rows={2}
            spellCheck={false}
            value={form.scopes}
            onChange={(e) => set('scopes', e.target.value)}
            className={`${controlClass} py-2 font-mono text-xs`}
          />
        </Field>

        <Field htmlFor="smart-client-id" label="Client ID" hint={canRegister ? (registerBlocked ? `${registerBlocked}.` : 'Registered at the provider, or register one here (RFC 7591).') : 'As the provider registered it.'}>
          <div className="flex gap-2">
            <TextInput id="smart-client-id" aria-invalid={invalid('clientId')} value={form.clientId} onChange={(e) => set('clientId', e.target.value)} className="font-mono" />
            {canRegister && (
              <Button onClick={registerHere} pending={register.isPending} disabled={registerBlocked !== null} title={registerBlocked ?? undefined}>
                Register at this server
              </Button>
            )}
          </div>
        </Field>

        {usesSecret(form.clientAuth) && (
          <Field
            htmlFor="smart-client-secret"
            label={secretNeededAgain ? 'Client secret — needed again' : 'Client secret'}
            error={
              secretNeededAgain && servers
                ? `The saved secret was given for ${servers.was}; this server is ${servers.now}. A saved secret goes only to the server it was entered for: enter it again to use it here.`
                : undefined
            }
            hint={saved?.hasClientSecret ? 'Saved — leave empty to keep it.' : 'Write-only: sent once to the console server, never shown again.'}
          >
            <TextInput
              id="smart-client-secret"
              ref={secretRef}
              type="password"
              autoComplete="new-password"
              aria-invalid={secretNeededAgain || undefined}
              aria-describedby={secretNeededAgain ? 'smart-client-secret-error' : undefined}
              placeholder={saved?.hasClientSecret && !secretNeededAgain ? 'saved — leave empty to keep' : ''}
              data-testid="smart-client-secret"
            />
          </Field>
        )}

        {form.clientAuth === 'private_key_jwt' && (
          <Field
            htmlFor="smart-key"
            label="Signing key"
            hint={
              selectedKey
                ? `Each token request gets a fresh assertion signed ${selectedKey.alg} with this key (the alg follows the key).`
                : 'Generate or import a key in Client keys.'
            }
          >
            <Select id="smart-key" aria-invalid={invalid('assertionAlg')} value={keyKid} onChange={(e) => set('keyKid', e.target.value)} disabled={keys.length === 0}>
              {keys.length === 0 && <option value="">No keys yet</option>}
              {keys.map((k) => (
                <option key={k.kid} value={k.kid}>
                  {k.alg} · {shortenKid(k.kid)} · {k.source}
                </option>
              ))}
            </Select>
            {keyNeedsConfirming && servers && (
              <div className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="key-confirmation">
                <label className="flex items-start gap-2">
                  <input
                    type="checkbox"
                    className="mt-0.5"
                    checked={keyConfirmed}
                    onChange={(e) => setKeyConfirmedFor(e.target.checked ? changeKey : null)}
                    aria-describedby="smart-key-confirm-why"
                  />
                  <span>
                    Sign for this server: the key may sign client assertions for the provider at <span className="font-mono wrap-anywhere"><Breakable text={servers.now} /></span>
                  </span>
                </label>
                <p id="smart-key-confirm-why" className="mt-1 text-amber-800">
                  The key was confirmed for {servers.was}. A saved key signs only for the server it was confirmed for, so changing a URL
                  needs your confirmation.
                </p>
              </div>
            )}
          </Field>
        )}

        <Field
          htmlFor="smart-fhir-base"
          className="sm:col-span-2"
          label="FHIR base URL (optional)"
          hint={
            servers && credentialMoves
              ? `Where FHIR requests go; empty means the URL you discovered. This points the provider at another server (${servers.now}), so ${credentialMoves}: a saved secret or key stays with the server it was saved for.`
              : 'Where FHIR requests go; empty means the URL you discovered.'
          }
        >
          <TextInput id="smart-fhir-base" value={form.fhirBaseUrl} onChange={(e) => set('fhirBaseUrl', e.target.value)} placeholder={discoveryUrl} className="font-mono text-xs" />
        </Field>
      </div>

      {register.error && <ApiErrorCard error={register.error} title="Registration failed" />}
      {register.data && (
        <p className="rounded-lg border border-emerald-200 bg-emerald-50/60 px-3 py-2 text-xs text-emerald-900" data-testid="registration-result">
          Registered client <code className="font-mono font-semibold">{register.data.clientId}</code> at{' '}
          <span className="font-mono wrap-anywhere"><Breakable text={register.data.registrationEndpoint} /></span> with JWKS URL{' '}
          <span className="font-mono wrap-anywhere"><Breakable text={register.data.jwksUri} /></span>. The client ID is filled in above.
        </p>
      )}

      {authCode && (
        <div className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2.5 text-xs">
          <div className="flex items-center justify-between gap-2">
            <p className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Redirect URI to register</p>
            {saved && <CopyButton text={saved.redirectUri} label="Copy" />}
          </div>
          {saved ? (
            <p className="mt-1 font-mono wrap-anywhere text-zinc-900" data-testid="smart-redirect-uri">
              <Breakable text={saved.redirectUri} />
            </p>
          ) : (
            <p className="mt-1 leading-5 text-zinc-600">
              Known after saving: <code className="font-mono">{origin}/api/oauth/&lt;provider id&gt;/callback</code>. Register
              it at the provider byte for byte; the checks below use a placeholder of that shape.
            </p>
          )}
        </div>
      )}

      <section data-testid="config-checks" aria-live="polite">
        <h3 className="mb-2 flex flex-wrap items-center gap-2 text-xs font-semibold text-zinc-900">
          Configuration checks <span className="font-normal text-zinc-600">· live, against the discovered metadata</span>
          <FindingCounts counts={counts} />
        </h3>
        {findings.length > 0 && <FindingList findings={findings} />}
      </section>

      {save.error && <ApiErrorCard error={save.error} title="Could not save the provider" />}

      <div className="flex flex-wrap items-center justify-end gap-3 border-t border-zinc-100 pt-3">
        {counts.error > 0 && (
          <p className="mr-auto text-xs text-red-700" data-testid="save-warning">
            {counts.error === 1 ? 'One check says' : `${counts.error} checks say`} the token request will fail as configured (see
            above). You can still save if you know the metadata is wrong.
          </p>
        )}
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" pending={save.isPending} data-testid="save-provider">
          {counts.error > 0 ? 'Save anyway' : saved ? 'Save changes' : 'Save provider'}
        </Button>
      </div>
    </form>
  );
}

function advertised(values: string[] | undefined): string {
  return values ? `Advertised: ${values.join(', ')}` : 'The server does not list these.';
}
