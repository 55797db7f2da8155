import { Breakable } from '@/components/ui/breakable';
import type { Ref } from 'react';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TextInput } from '@/components/ui/text-input';
import type { GrantDto } from '@/lib/contract/schemas';
import { SetupField } from './setup-field';
import { CUSTOM_CREDENTIALS, grantTypeLabel, type Preset } from './credential-options';

export interface CustomCredentialErrors {
  clientId?: string;
  clientSecret?: string;
}

export interface CredentialPickerProps {
  presets: Preset[];
  /** The provider's own grant type; a preset that runs another one says so. */
  providerGrantType: GrantDto['grantType'];
  allowCustom: boolean;
  value: string;
  onChange: (value: string) => void;
  customClientId: string;
  onCustomClientIdChange: (clientId: string) => void;
  /** The secret input stays uncontrolled: its value never enters React state. */
  secretRef: Ref<HTMLInputElement>;
  errors: CustomCredentialErrors;
}

export function CredentialPicker({
  presets,
  providerGrantType,
  allowCustom,
  value,
  onChange,
  customClientId,
  onCustomClientIdChange,
  secretRef,
  errors,
}: CredentialPickerProps) {
  const selected = presets.find((preset) => preset.id === value);
  return (
    <SetupField step={3} title="Credential set" htmlFor="credential-select">
      <Select id="credential-select" name="credential" value={value} onChange={(e) => onChange(e.target.value)}>
        {presets.length > 0 && (
          <optgroup label="Sandbox presets">
            {presets.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </optgroup>
        )}
        {allowCustom && <option value={CUSTOM_CREDENTIALS}>Your own credentials</option>}
      </Select>

      {selected && (
        <div className="mt-3 space-y-2.5">
          <div>
            <p className="flex items-center justify-between gap-2 text-xs font-medium tracking-wide text-zinc-600 uppercase">
              Client ID
              {selected.grant && selected.grant.grantType !== providerGrantType && (
                <Badge tone="indigo" className="tracking-normal normal-case">
                  {grantTypeLabel(selected.grant)}
                </Badge>
              )}
            </p>
            <p className="mt-0.5 font-mono text-xs wrap-anywhere text-zinc-900">
              <Breakable text={selected.clientId} />
            </p>
          </div>
          {selected.notes && <p className="text-xs leading-5 text-zinc-600">{selected.notes}</p>}
          {Object.keys(selected.facts).length > 0 && (
            <ul className="flex flex-wrap gap-1.5">
              {Object.entries(selected.facts).map(([key, fact]) => (
                <li key={key}>
                  <Badge tone="neutral">
                    <span className="text-zinc-600">{humanize(key)}</span>
                    <span className={typeof fact === 'number' ? 'tabular-nums' : undefined}>
                      {typeof fact === 'number' ? fact.toLocaleString('en-US') : fact}
                    </span>
                  </Badge>
                </li>
              ))}
            </ul>
          )}
          <p className="text-xs text-zinc-600">The secret stays on the server; only its preset id is sent.</p>
        </div>
      )}

      {value === CUSTOM_CREDENTIALS && (
        <div className="mt-3 space-y-3">
          <Field htmlFor="custom-client-id" label="Client ID" error={errors.clientId}>
            <TextInput
              id="custom-client-id"
              name="clientId"
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
              value={customClientId}
              onChange={(e) => onCustomClientIdChange(e.target.value)}
              aria-invalid={errors.clientId ? true : undefined}
              aria-describedby={errors.clientId ? 'custom-client-id-error' : undefined}
            />
          </Field>
          <Field
            htmlFor="custom-client-secret"
            label="Client secret"
            error={errors.clientSecret}
            hint="Sent once in the token request body, then cleared. Never stored in this browser."
          >
            <TextInput
              ref={secretRef}
              id="custom-client-secret"
              name="clientSecret"
              type="password"
              autoComplete="off"
              spellCheck={false}
              className="font-mono text-xs"
              aria-invalid={errors.clientSecret ? true : undefined}
              aria-describedby={errors.clientSecret ? 'custom-client-secret-error' : 'custom-client-secret-hint'}
            />
          </Field>
        </div>
      )}
    </SetupField>
  );
}

/** `acoId` → `ACO id`, `dataSet` → `data set`. */
function humanize(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.replace(/\baco\b/g, 'ACO');
}
