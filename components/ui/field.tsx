import type { ReactNode } from 'react';
import { cn } from './cn';

export interface FieldProps {
  /** The id of the control the label names. */
  htmlFor: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
  className?: string;
}

/** A <label> + control + hint/error, wired with ids so getByLabel and screen readers find the control. */
export function Field({ htmlFor, label, hint, error, children, className }: FieldProps) {
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={htmlFor} className="text-xs font-medium text-zinc-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${htmlFor}-error`} className="text-xs text-red-600">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${htmlFor}-hint`} className="text-xs text-zinc-600">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** Shared look of inputs and selects. */
export const controlClass =
  'block w-full rounded-lg border border-zinc-300 bg-white px-2.5 text-sm text-zinc-900 shadow-xs transition-colors ' +
  'placeholder:text-zinc-500 hover:border-zinc-400 focus:border-indigo-500 focus:ring-3 focus:ring-indigo-500/15 focus:outline-none ' +
  'disabled:cursor-not-allowed disabled:bg-zinc-50 disabled:text-zinc-500 aria-invalid:border-red-400';
