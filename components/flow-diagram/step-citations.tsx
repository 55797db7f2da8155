import { cn } from '@/components/ui/cn';
import type { SpecCitation } from '@/lib/client/flow-diagram/model';

/** The spec sections a step follows, as links to the specs (they open in a new tab). */
export function StepCitations({ citations, className, linkClassName }: { citations: readonly SpecCitation[]; className?: string; linkClassName?: string }) {
  return (
    <p className={cn('flex flex-wrap gap-y-1', className)}>
      {citations.map((citation) => (
        <a key={citation.label} href={citation.url} target="_blank" rel="noreferrer noopener" className={cn('underline', linkClassName)}>
          {citation.label}
        </a>
      ))}
    </p>
  );
}
