import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { Diagnosis } from '@/lib/client/diagnostics/catalogue';

const tone: Record<Diagnosis['severity'], BadgeTone> = { error: 'red', warning: 'amber', info: 'blue' };
const frame: Record<Diagnosis['severity'], string> = {
  error: 'border-red-200 bg-red-50/60',
  warning: 'border-amber-200 bg-amber-50/60',
  info: 'border-sky-200 bg-sky-50/60',
};

/** What went wrong and what to do, for one exchange or token; renders nothing when all is well. */
export function DiagnosisList({ diagnoses }: { diagnoses: Diagnosis[] }) {
  if (diagnoses.length === 0) return null;
  return (
    <ul className="space-y-2" data-testid="diagnoses" aria-label="Diagnosis">
      {diagnoses.map((d) => (
        <li key={d.id + d.title} className={`rounded-lg border px-3 py-2 text-xs leading-5 ${frame[d.severity]}`} data-diagnosis={d.id}>
          <p className="flex items-center gap-2 font-medium text-zinc-900">
            <Badge tone={tone[d.severity]}>Diagnosis</Badge>
            {d.title}
          </p>
          <p className="mt-1 text-zinc-700">{d.explanation}</p>
          <p className="mt-1 text-zinc-700">
            <span className="font-medium text-zinc-900">Fix: </span>
            {d.fix}
          </p>
        </li>
      ))}
    </ul>
  );
}
