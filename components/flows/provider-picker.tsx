import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { ProviderDto } from '@/lib/contract/schemas';
import { grantTypeLabel } from './credential-options';
import { ExternalLink } from './external-link';
import { SetupField } from './setup-field';

export interface ProviderPickerProps {
  providers: ProviderDto[];
  value: string;
  onChange: (providerId: string) => void;
  /** Opens the "Add a SMART / OAuth provider" panel (issue #8). */
  onAddProvider?: () => void;
  /** Opens the panel on the selected custom provider. */
  onEditProvider?: (providerId: string) => void;
}

export function ProviderPicker({ providers, value, onChange, onAddProvider, onEditProvider }: ProviderPickerProps) {
  const selected = providers.find((p) => p.id === value);
  const grants = selected ? getGrantLabels(selected) : [];
  return (
    <SetupField
      step={1}
      title="Provider"
      htmlFor="provider-select"
      badges={grants.map((label) => (
        <Badge key={label} tone="indigo">
          {label}
        </Badge>
      ))}
    >
      <Select id="provider-select" name="provider" value={value} onChange={(e) => onChange(e.target.value)}>
        {providers.map((provider) => (
          <option key={provider.id} value={provider.id}>
            {provider.name}
          </option>
        ))}
      </Select>
      {selected && (
        <div className="mt-3">
          {selected.custom && (
            <p className="mb-1.5 flex min-w-0 items-center gap-2 text-xs text-zinc-600">
              <Badge tone="violet">added by URL</Badge>
              <span className="truncate font-mono text-xs" title={selected.custom.discoveryUrl}>
                {selected.custom.discoveryUrl}
              </span>
            </p>
          )}
          <p className="text-xs leading-5 text-zinc-600">{selected.summary}</p>
          {selected.docs.length > 0 && (
            <ul className="mt-2.5 flex flex-wrap gap-x-3 gap-y-1">
              {selected.docs.map((doc) => (
                <li key={doc.url}>
                  <ExternalLink href={doc.url}>{doc.label}</ExternalLink>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {(onAddProvider || (selected?.custom && onEditProvider)) && (
        <div className="mt-3 flex flex-wrap gap-1 border-t border-zinc-100 pt-2.5">
          {onAddProvider && (
            <Button size="sm" variant="ghost" onClick={onAddProvider} className="-ml-2.5 text-indigo-700 hover:text-indigo-900">
              + Add a provider by URL
            </Button>
          )}
          {selected?.custom && onEditProvider && (
            <Button size="sm" variant="ghost" onClick={() => onEditProvider(selected.id)}>
              Edit this provider
            </Button>
          )}
        </div>
      )}
    </SetupField>
  );
}

/** The grants a provider runs: its own, plus any a preset runs instead (1upHealth Patient Access). */
function getGrantLabels(provider: ProviderDto): string[] {
  const labels = [provider.grant, ...provider.presets.flatMap((preset) => (preset.grant ? [preset.grant] : []))].map(
    grantTypeLabel,
  );
  return [...new Set(labels)];
}
