import type { ReactNode } from 'react';
import { StepNumber } from '@/components/ui/step-number';

export interface SetupFieldProps {
  step: number;
  title: string;
  /** The select the visible title labels. */
  htmlFor: string;
  /** Right of the title: the kind of environment, the grants a provider runs. */
  badges?: ReactNode;
  children: ReactNode;
}

/** One of the three choices in the setup bar: a numbered, labelled select and what the choice means. */
export function SetupField({ step, title, htmlFor, badges, children }: SetupFieldProps) {
  return (
    <div className="min-w-0 p-4">
      <div className="mb-2 flex items-center justify-between gap-2">
        <div className="flex items-center gap-2">
          <StepNumber step={step} />
          <label htmlFor={htmlFor} className="text-sm font-semibold text-zinc-900">
            {title}
          </label>
        </div>
        {badges && <span className="flex min-w-0 flex-wrap justify-end gap-1">{badges}</span>}
      </div>
      {children}
    </div>
  );
}
