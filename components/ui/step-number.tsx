import { cn } from './cn';

/** The numbered circle of a step (1 Provider … 5 FHIR workbench); decorative, the title names the step. */
export function StepNumber({ step, className }: { step: number; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn('flex size-5 shrink-0 items-center justify-center rounded-full bg-zinc-900 text-xs font-semibold text-white', className)}
    >
      {step}
    </span>
  );
}
