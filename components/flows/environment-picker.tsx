import { apiNames } from '@/lib/client/api-names';
import { KeyValueList } from '@/components/ui/key-value-list';
import { Select } from '@/components/ui/select';
import type { FlowEndpoints } from '@/lib/client/effective-flow';
import type { ProviderDto } from '@/lib/contract/schemas';
import { EnvironmentKindBadge } from './environment-kind-badge';
import { SetupField } from './setup-field';

type Environment = ProviderDto['environments'][number];

export interface EnvironmentPickerProps {
  environments: Environment[];
  value: string;
  onChange: (environmentId: string) => void;
  /** False when the server runs without its built-in sandboxes. */
  builtinAvailable: boolean;
  /** The selected credential set's endpoints in this environment (a preset's flow may live elsewhere). */
  endpoints: FlowEndpoints & { overridden: boolean };
  /** Show the authorize URL: the selected flow is authorization code. */
  showAuthorizeUrl: boolean;
  /** The preset whose endpoints differ from the environment's, to say so. */
  overrideLabel?: string;
  /** FHIR or the provider's own JSON API, for the base URL's label. */
  apiKind: ProviderDto['apiKind'];
}

export function EnvironmentPicker({
  environments,
  value,
  onChange,
  builtinAvailable,
  endpoints,
  showAuthorizeUrl,
  overrideLabel,
  apiKind,
}: EnvironmentPickerProps) {
  const selected = environments.find((env) => env.id === value);
  return (
    <SetupField step={2} title="Environment" htmlFor="environment-select" badges={selected && <EnvironmentKindBadge kind={selected.kind} />}>
      <Select id="environment-select" name="environment" value={value} onChange={(e) => onChange(e.target.value)}>
        {environments.map((env) => (
          <option key={env.id} value={env.id} disabled={env.kind === 'builtin' && !builtinAvailable}>
            {env.label}
          </option>
        ))}
      </Select>
      {selected && (
        <div className="mt-3 space-y-3">
          {selected.note && <p className="text-xs leading-5 text-zinc-600">{selected.note}</p>}
          {selected.kind === 'production' && (
            <p className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-800">
              Production holds real patient data. Use only credentials your organisation was issued.
            </p>
          )}
          <KeyValueList
            items={[
              ...(showAuthorizeUrl
                ? [{ label: 'Authorize URL', value: endpoints.authorizeUrl ?? '(none)', mono: true }]
                : []),
              { label: 'Token URL', value: endpoints.tokenUrl, mono: true },
              { label: apiNames(apiKind).base, value: endpoints.fhirBaseUrl, mono: true },
            ]}
          />
          {endpoints.overridden && overrideLabel && (
            <p className="text-xs leading-4 text-zinc-600">
              Endpoints of <span className="font-medium text-zinc-700">{overrideLabel}</span>, whose flow lives apart
              from this environment’s default.
            </p>
          )}
        </div>
      )}
    </SetupField>
  );
}
