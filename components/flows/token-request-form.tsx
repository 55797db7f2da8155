'use client';

import { useRef, useState, type FormEvent } from 'react';
import type { ApiClientError } from '@/lib/api-client/api-client-error';
import type { TokenRequestInput } from '@/lib/api-client/fetchers';
import { OneTimeSecret } from '@/lib/api-client/one-time-secret';
import { tokenRequestSchema, type ProviderDto, type TokenDto } from '@/lib/api-client/schemas';
import { CUSTOM_CREDENTIALS, getPresetsFor } from './credential-options';
import { CredentialPicker, type CustomCredentialErrors } from './credential-picker';
import { EnvironmentPicker } from './environment-picker';
import { GetTokenCard } from './get-token-card';
import { ProviderPicker } from './provider-picker';

type Environment = ProviderDto['environments'][number];

export interface TokenRequestFormProps {
  providers: ProviderDto[];
  provider: ProviderDto;
  environment: Environment;
  credential: string;
  builtinAvailable: boolean;
  onProviderChange: (providerId: string) => void;
  onEnvironmentChange: (environmentId: string) => void;
  onCredentialChange: (credential: string) => void;
  onRequestToken: (input: TokenRequestInput) => void;
  pending: boolean;
  lastToken: TokenDto | undefined;
  error: ApiClientError | null;
}

/**
 * Steps 1–4 as one form. The custom client secret is read from an uncontrolled input at submit, handed to the
 * request in a OneTimeSecret, and the field is cleared straight away.
 */
export function TokenRequestForm(props: TokenRequestFormProps) {
  const { provider, environment, credential } = props;
  const secretRef = useRef<HTMLInputElement>(null);
  const [customClientId, setCustomClientId] = useState('');
  const [errors, setErrors] = useState<CustomCredentialErrors>({});

  const submit = (forceNew: boolean) => {
    if (credential !== CUSTOM_CREDENTIALS) {
      setErrors({});
      props.onRequestToken({ environmentId: environment.id, forceNew, credential: { kind: 'preset', presetId: credential } });
      return;
    }
    const secretInput = secretRef.current;
    const checked = tokenRequestSchema.safeParse({
      environmentId: environment.id,
      forceNew,
      credential: { kind: 'custom', clientId: customClientId, clientSecret: secretInput?.value ?? '' },
    });
    if (secretInput) secretInput.value = '';
    if (!checked.success || checked.data.credential.kind !== 'custom') {
      const next: CustomCredentialErrors = {};
      for (const issue of checked.error?.issues ?? []) {
        const field = issue.path.at(-1);
        if (field === 'clientId' && !next.clientId) next.clientId = issue.message;
        if (field === 'clientSecret' && !next.clientSecret) next.clientSecret = issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    props.onRequestToken({
      environmentId: environment.id,
      forceNew,
      credential: {
        kind: 'custom',
        clientId: checked.data.credential.clientId,
        clientSecret: new OneTimeSecret(checked.data.credential.clientSecret),
      },
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submit(false);
  };

  return (
    <form onSubmit={onSubmit} noValidate autoComplete="off" aria-label="Token request" className="space-y-4">
      <div className="grid gap-4 lg:grid-cols-3">
        <ProviderPicker providers={props.providers} value={provider.id} onChange={props.onProviderChange} />
        <EnvironmentPicker
          environments={provider.environments}
          value={environment.id}
          onChange={props.onEnvironmentChange}
          builtinAvailable={props.builtinAvailable}
        />
        <CredentialPicker
          presets={getPresetsFor(provider, environment.id)}
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
        tokenUrl={environment.tokenUrl}
        pending={props.pending}
        lastToken={props.lastToken}
        error={props.error}
        onForceNew={() => submit(true)}
      />
    </form>
  );
}
