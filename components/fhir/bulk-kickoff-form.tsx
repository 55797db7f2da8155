'use client';

import type { AuthorizationScheme } from '@/lib/contract/dpop';
import { ApiErrorCard } from '@/components/ui/api-error-card';
import { Button } from '@/components/ui/button';
import { CodeBlock } from '@/components/ui/code-block';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { TextInput } from '@/components/ui/text-input';
import { toUpstreamAnswer } from '@/lib/client/bulk-events';
import type { FlowTarget } from '@/lib/client/effective-flow';
import { getEnvironmentRoot } from '@/lib/client/environment-path';
import { getHeader } from '@/lib/contract/headers';
import { useFhirRequest } from '@/lib/client/hooks';
import type { ProviderDto } from '@/lib/contract/schemas';
import { buildKickoffRequest, getBasesFor, type KickoffInput } from '@/lib/client/bulk/kickoff';
import type { BulkExportCapability, BulkExportLevel } from '@/lib/contract/bulk-export';
import { useId, useState, type FormEvent } from 'react';
import { BulkAnswer } from './bulk-answer';
import { toActiveBulkJob, type ActiveBulkJob } from './bulk-job-types';

export interface BulkKickoffFormProps {
  provider: ProviderDto;
  capability: BulkExportCapability;
  target: FlowTarget;
  onStarted: (job: ActiveBulkJob) => void;
  /** What to start from instead of the first base's defaults (a hand-typed `$export` from the request editor). */
  initial?: Partial<KickoffInput>;
  /** How the server sends the session's token. */
  authScheme: AuthorizationScheme;
}

const levelLabel: Record<BulkExportLevel, string> = {
  patient: 'Patient',
  group: 'Group',
  system: 'System',
};

const levelHint: Record<BulkExportLevel, string> = {
  patient: 'Every patient the client may see: [base]/Patient/$export.',
  group: 'The members of one Group: [base]/Group/[id]/$export.',
  system: 'Everything the client may see, patients or not: [base]/$export.',
};

/**
 * The Bulk Data kick-off as a form: level, `_type`, `_since` and `_outputFormat` from what the provider offers,
 * the exact request shown before it is sent, and the answer when it is not 202.
 * @see https://hl7.org/fhir/uv/bulkdata/export.html#query-parameters
 */
export function BulkKickoffForm({ provider, capability, target, authScheme, onStarted, initial }: BulkKickoffFormProps) {
  const id = useId();
  const bases = getBasesFor(capability, target.environmentId);
  const [input, setInput] = useState<KickoffInput>(() => {
    const base = bases.find((candidate) => candidate.id === initial?.baseId) ?? bases[0];
    return {
      baseId: base?.id ?? '',
      level: base?.levels[0] ?? 'patient',
      groupId: base?.groups[0]?.id ?? '',
      types: [],
      since: '',
      outputFormat: '',
      ...initial,
    };
  });
  const [touched, setTouched] = useState(false);
  const [refused, setRefused] = useState<{ field: keyof KickoffInput; message: string } | null>(null);
  const kickoff = useFhirRequest();

  const base = bases.find((candidate) => candidate.id === input.baseId) ?? bases[0];
  if (!base) {
    return <p className="text-xs text-zinc-600 italic">This environment offers no bulk export.</p>;
  }
  const effective: KickoffInput = {
    ...input,
    baseId: base.id,
    level: base.levels.includes(input.level) ? input.level : (base.levels[0] ?? 'patient'),
    groupId:
      base.groups.length > 0 && !base.groups.some((group) => group.id === input.groupId) ? (base.groups[0]?.id ?? '') : input.groupId,
    types: input.types.filter((type) => base.resourceTypes.includes(type)),
  };
  // Rendering must not read the clock: "_since in the future" is checked when the form is sent.
  const built = buildKickoffRequest(capability, target.environmentId, effective, Number.POSITIVE_INFINITY);
  const fieldError = (field: keyof KickoffInput) => {
    if (refused?.field === field) return refused.message;
    return touched && !built.ok && built.field === field ? built.message : undefined;
  };

  const update = (patch: Partial<KickoffInput>) => {
    setRefused(null);
    setInput((previous) => ({ ...previous, ...patch }));
  };
  const toggleType = (type: string) =>
    update({ types: effective.types.includes(type) ? effective.types.filter((t) => t !== type) : [...effective.types, type] });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    const checked = buildKickoffRequest(capability, target.environmentId, effective);
    if (!checked.ok) {
      setRefused({ field: checked.field, message: checked.message });
      return;
    }
    const { path, headers } = checked.request;
    kickoff.mutate(
      {
        providerId: provider.id,
        request: { environmentId: target.environmentId, presetId: target.presetId, method: 'GET', path, headers },
      },
      {
        onSuccess: (response) => {
          if (response.status === 202) onStarted(toActiveBulkJob(response, path, target));
        },
      },
    );
  };

  const answer = kickoff.data && kickoff.data.status !== 202 ? kickoff.data : null;
  const retryAfter = answer ? getHeader(answer.headers, 'retry-after') : undefined;

  return (
    <form onSubmit={submit} noValidate data-testid="bulk-kickoff-form" className="space-y-4" aria-label="Start a bulk export">
      <div className="grid gap-4 sm:grid-cols-2">
        {bases.length > 1 && (
          <Field htmlFor={`${id}-base`} label="API" hint={base.note}>
            <Select id={`${id}-base`} value={base.id} onChange={(e) => update({ baseId: e.target.value })}>
              {bases.map((candidate) => (
                <option key={candidate.id} value={candidate.id}>
                  {candidate.label}
                </option>
              ))}
            </Select>
          </Field>
        )}
        <fieldset className="flex flex-col gap-1.5">
          <legend className="mb-1.5 text-xs font-medium text-zinc-700">Level</legend>
          <div className="flex flex-wrap gap-3">
            {base.levels.map((level) => (
              <label key={level} className="flex items-center gap-1.5 text-sm text-zinc-800">
                <input
                  type="radio"
                  name={`${id}-level`}
                  value={level}
                  checked={effective.level === level}
                  onChange={() => update({ level })}
                />
                {levelLabel[level]}
              </label>
            ))}
          </div>
          <p className="text-xs text-zinc-600">{levelHint[effective.level]}</p>
        </fieldset>
        {effective.level === 'group' && (
          <Field htmlFor={`${id}-group`} label="Group id" error={fieldError('groupId')}>
            {base.groups.length > 0 ? (
              <Select id={`${id}-group`} value={effective.groupId} onChange={(e) => update({ groupId: e.target.value })}>
                {base.groups.map((group) => (
                  <option key={group.id} value={group.id}>
                    {group.label}
                  </option>
                ))}
              </Select>
            ) : (
              <TextInput
                id={`${id}-group`}
                value={effective.groupId}
                onChange={(e) => update({ groupId: e.target.value })}
                placeholder="e.g. 3f9c…"
                aria-invalid={fieldError('groupId') ? true : undefined}
              />
            )}
          </Field>
        )}
      </div>

      <fieldset>
        <legend className="text-xs font-medium text-zinc-700">
          <span className="font-mono">_type</span> <span className="font-normal text-zinc-600">(none ticked: the server’s default types)</span>
        </legend>
        <div className="mt-1.5 flex flex-wrap gap-2">
          {base.resourceTypes.map((type) => (
            <label
              key={type}
              className="flex items-center gap-1.5 rounded-md border border-zinc-200 px-2 py-1 text-xs text-zinc-800 has-checked:border-indigo-300 has-checked:bg-indigo-50"
            >
              <input type="checkbox" checked={effective.types.includes(type)} onChange={() => toggleType(type)} />
              {type}
            </label>
          ))}
        </div>
        {fieldError('types') && <p className="mt-1 text-xs text-red-600">{fieldError('types')}</p>}
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          htmlFor={`${id}-since`}
          label={
            <>
              <span className="font-mono">_since</span> <span className="font-normal text-zinc-600">(optional)</span>
            </>
          }
          hint="Only resources changed after this moment. Your local time, sent as a UTC instant."
          error={fieldError('since')}
        >
          <TextInput
            id={`${id}-since`}
            type="datetime-local"
            step={1}
            value={input.since}
            onChange={(e) => update({ since: e.target.value })}
            aria-invalid={fieldError('since') ? true : undefined}
          />
        </Field>
        <Field
          htmlFor={`${id}-format`}
          label={<span className="font-mono">_outputFormat</span>}
          hint="Every format here means NDJSON; most clients leave it out."
          error={fieldError('outputFormat')}
        >
          <Select id={`${id}-format`} value={input.outputFormat} onChange={(e) => update({ outputFormat: e.target.value })}>
            <option value="">(not sent: application/fhir+ndjson)</option>
            {capability.outputFormats.map((format) => (
              <option key={format} value={format}>
                {format}
              </option>
            ))}
          </Select>
        </Field>
      </div>

      <div>
        <p className="mb-1.5 text-xs font-medium text-zinc-700">The request the console’s server will send</p>
        <CodeBlock data-testid="bulk-kickoff-request" maxHeightClass="max-h-40">
          {built.ok ? (
            <>
              <span className="font-semibold text-indigo-700">GET</span> {getEnvironmentRoot(target.endpoints)}
              {built.request.path}
              {Object.entries(built.request.headers).map(([name, value]) => (
                <span key={name} className="block">
                  {name}: {value}
                </span>
              ))}
              <span className="block text-zinc-600">Authorization: {authScheme} … (the session’s token, added by the server)</span>
              {authScheme === 'DPoP' && <span className="block text-zinc-600">DPoP: … (a fresh proof for this request, signed by the server)</span>}
            </>
          ) : (
            <span className="text-red-700">{built.message}</span>
          )}
        </CodeBlock>
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" size="sm" pending={kickoff.isPending} data-testid="bulk-kickoff">
          Start export
        </Button>
        <span className="text-xs text-zinc-600">A 202 answer starts the job below; its status URL is then polled.</span>
      </div>

      {kickoff.error && <ApiErrorCard error={kickoff.error} title="The kick-off was not sent" />}
      {answer && (
        <BulkAnswer what="The kick-off" answer={toUpstreamAnswer(answer)} tone={answer.status >= 500 ? 'red' : 'amber'} data-testid="bulk-kickoff-answer">
          {answer.status === 429
            ? `Too many requests: a matching export may still be running.${retryAfter ? ` Retry-After: ${retryAfter}.` : ''}`
            : answer.status === 401
              ? 'No valid token: get a token above first.'
              : 'No job was started.'}
        </BulkAnswer>
      )}
    </form>
  );
}
