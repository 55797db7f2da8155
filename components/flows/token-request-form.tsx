'use client';

import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiClientError, ApiErrorBody } from '@/lib/client/api-client-error';
import type { FlowEndpoints } from '@/lib/client/effective-flow';
import type { AuthorizeInput, CredentialInput, TokenRequestInput } from '@/lib/client/fetchers';
import { OneTimeSecret } from '@/lib/client/one-time-secret';
import { tokenRequestSchema, type GrantDto, type ProviderDto, type TokenDto } from '@/lib/contract/schemas';
import { CUSTOM_CREDENTIALS, getPresetsFor, resolveBodyFormat, type BodyFormat } from './credential-options';
import { CredentialPicker, type CustomCredentialErrors } from './credential-picker';
import { EnvironmentPicker } from './environment-picker';
import { GetTokenCard } from './get-token-card';
import { ProviderPicker } from './provider-picker';
import { TOKEN_REQUEST_FORM_ID } from './token-form-ids';
import type { AssertionFault } from '@/lib/contract/smart';

type Environment = ProviderDto['environments'][number];


export interface TokenRequestFormProps {
  providers: ProviderDto[];
  provider: ProviderDto;
  environment: Environment;
  credential: string;
  /** The effective grant and endpoints of the credential choice (preset over provider). */
  grant: GrantDto;
  endpoints: FlowEndpoints & { overridden: boolean };
  builtinAvailable: boolean;
  onProviderChange: (providerId: string) => void;
  onAddProvider?: () => void;
  onEditProvider?: (providerId: string) => void;
  onEnvironmentChange: (environmentId: string) => void;
  onCredentialChange: (credential: string) => void;
  onRequestToken: (input: TokenRequestInput) => void;
  onAuthorize: (input: AuthorizeInput) => void;
  pending: boolean;
  redirecting: boolean;
  lastToken: TokenDto | undefined;
  error: ApiClientError | null;
  /** The provider rate-limited the last Get token: no new one before this time (epoch ms). */
  retryAt: number | null;
  flowError: ApiErrorBody | undefined;
  onDismissFlowError: () => void;
  flowErrorJustReturned: boolean;
  /** The built-in sandbox's failure switches, beside the action. */
  simulation?: ReactNode;
}

/**
 * Steps 1–4 as one form; submitting it gets a token (client credentials) or starts an authorization (authorization
 * code). The custom client secret is read from an uncontrolled input at submit, handed to the request in a
 * OneTimeSecret, and the field is cleared straight away.
 */
export function TokenRequestForm(props: TokenRequestFormProps) {
  const { provider, environment, credential, grant } = props;
  const secretRef = useRef<HTMLInputElement>(null);
  const [customClientId, setCustomClientId] = useState('');
  const [errors, setErrors] = useState<CustomCredentialErrors>({});
  const [chosenFormat, setChosenFormat] = useState<BodyFormat | null>(null);
  const bodyFormat = resolveBodyFormat(grant.bodyChoices, chosenFormat, grant.body);

  /** The credential of the submit, or null after showing what is missing. */
  const readCredential = (): CredentialInput | null => {
    if (credential !== CUSTOM_CREDENTIALS) {
      setErrors({});
      return { kind: 'preset', presetId: credential };
    }
    const secretInput = secretRef.current;
    const checked = tokenRequestSchema.shape.credential.safeParse({
      kind: 'custom',
      clientId: customClientId,
      clientSecret: secretInput?.value ?? '',
    });
    if (secretInput) secretInput.value = '';
    if (!checked.success || checked.data.kind !== 'custom') {
      const next: CustomCredentialErrors = {};
      for (const issue of checked.error?.issues ?? []) {
        const field = issue.path.at(-1);
        if (field === 'clientId' && !next.clientId) next.clientId = issue.message;
        if (field === 'clientSecret' && !next.clientSecret) next.clientSecret = issue.message;
      }
      setErrors(next);
      document.getElementById(next.clientId ? 'custom-client-id' : 'custom-client-secret')?.focus();
      return null;
    }
    setErrors({});
    return { kind: 'custom', clientId: checked.data.clientId, clientSecret: new OneTimeSecret(checked.data.clientSecret) };
  };

  const submit = (forceNew: boolean, assertionFault?: AssertionFault) => {
    const credentialInput = readCredential();
    if (!credentialInput) return;
    if (grant.grantType === 'authorization_code') {
      props.onAuthorize({ environmentId: environment.id, credential: credentialInput });
      return;
    }
    props.onRequestToken({ environmentId: environment.id, forceNew, credential: credentialInput, bodyFormat, assertionFault });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (props.pending || props.redirecting || (props.retryAt !== null && Date.now() < props.retryAt)) return;
    submit(false);
  };

  const presets = getPresetsFor(provider, environment.id);
  const selectedPreset = presets.find((preset) => preset.id === credential);

  return (
    <form
      id={TOKEN_REQUEST_FORM_ID}
      onSubmit={onSubmit}
      noValidate
      autoComplete="off"
      aria-label="Token request"
      className="rounded-xl border border-zinc-200 bg-white shadow-xs"
    >
      <div className="grid divide-y divide-zinc-100 lg:grid-cols-3 lg:divide-x lg:divide-y-0">
        <ProviderPicker
          providers={props.providers}
          value={provider.id}
          onChange={props.onProviderChange}
          onAddProvider={props.onAddProvider}
          onEditProvider={props.onEditProvider}
        />
        <EnvironmentPicker
          environments={provider.environments}
          value={environment.id}
          onChange={props.onEnvironmentChange}
          builtinAvailable={props.builtinAvailable}
          endpoints={props.endpoints}
          showAuthorizeUrl={grant.grantType === 'authorization_code'}
          overrideLabel={selectedPreset?.label}
          apiKind={provider.apiKind}
        />
        <CredentialPicker
          presets={presets}
          providerGrantType={provider.grant.grantType}
          allowCustom={provider.allowCustomCredentials}
          value={credential}
          onChange={(value) => {
            setErrors({});
            props.onCredentialChange(value);
          }}
          customClientId={customClientId}
          onCustomClientIdChange={setCustomClientId}
          secretRef={secretRef}
          errors={errors}
        />
      </div>
      <GetTokenCard
        provider={provider}
        grant={grant}
        endpoints={props.endpoints}
        formId={TOKEN_REQUEST_FORM_ID}
        builtinPreset={environment.kind === 'builtin' && selectedPreset ? selectedPreset : null}
        pending={props.pending}
        redirecting={props.redirecting}
        lastToken={props.lastToken}
        error={props.error}
        retryAt={props.retryAt}
        flowError={props.flowError}
        onDismissFlowError={props.onDismissFlowError}
        flowErrorJustReturned={props.flowErrorJustReturned}
        onForceNew={() => submit(true)}
        simulation={props.simulation}
        onSendFaultyAssertion={grant.clientAuth === 'private_key_jwt' ? (fault) => submit(true, fault) : undefined}
        bodyFormat={
          grant.bodyChoices && grant.bodyChoices.length > 1 && bodyFormat
            ? { choices: grant.bodyChoices, value: bodyFormat, onChange: setChosenFormat }
            : undefined
        }
      />
    </form>
  );
}
