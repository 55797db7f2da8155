import { cn } from '@/components/ui/cn';

/** Placeholder blocks while the provider catalogue loads (it is one small same-origin request). */
export function ConsoleSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading the console" className="animate-pulse space-y-4">
      <div className="grid gap-4 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <div key={i} className="h-44 rounded-xl border border-zinc-200 bg-white" />
        ))}
      </div>
      <div className="h-32 rounded-xl border border-zinc-200 bg-white" />
      <div className="grid gap-4 xl:grid-cols-2">
        <div className="h-96 rounded-xl border border-zinc-200 bg-white" />
        <div className="h-96 rounded-xl border border-zinc-200 bg-white" />
      </div>
    </div>
  );
}

/** A panel's place while its code loads: the same card, empty, so nothing jumps when it arrives. */
export function PanelSkeleton({ label, className }: { label: string; className?: string }) {
  return <div aria-busy="true" aria-label={label} className={cn('animate-pulse rounded-xl border border-zinc-200 bg-white', className)} />;
}
