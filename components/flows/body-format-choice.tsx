import { cn } from '@/components/ui/cn';
import type { BodyFormat } from './credential-options';

const options: Record<BodyFormat, { label: string; contentType: string }> = {
  json: { label: 'JSON', contentType: 'application/json' },
  form: { label: 'Form', contentType: 'application/x-www-form-urlencoded' },
};

export interface BodyFormatChoiceProps {
  choices: readonly BodyFormat[];
  value: BodyFormat;
  onChange: (value: BodyFormat) => void;
}

/** For providers that take the client credentials either way (Candid): which body the token request carries. */
export function BodyFormatChoice({ choices, value, onChange }: BodyFormatChoiceProps) {
  return (
    <fieldset>
      <legend className="text-xs font-medium tracking-wide text-zinc-600 uppercase">Token request body</legend>
      <div className="mt-1 grid grid-cols-2 gap-1 rounded-lg bg-zinc-100 p-0.5" data-testid="body-format">
        {choices.map((choice) => (
          <label
            key={choice}
            className={cn(
              'flex cursor-pointer items-center justify-center gap-1.5 rounded-md px-2 py-1 text-xs font-medium transition-colors',
              'has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500',
              value === choice ? 'bg-white text-zinc-900 shadow-xs ring-1 ring-zinc-200' : 'text-zinc-600 hover:text-zinc-900',
            )}
          >
            <input
              type="radio"
              name="bodyFormat"
              value={choice}
              checked={value === choice}
              onChange={() => onChange(choice)}
              className="size-3 accent-indigo-600"
            />
            {options[choice].label}
          </label>
        ))}
      </div>
      <p className="mt-1 truncate font-mono text-xs text-zinc-600" title={options[value].contentType}>
        Content-Type: {options[value].contentType}
      </p>
    </fieldset>
  );
}
