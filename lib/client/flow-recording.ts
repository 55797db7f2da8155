import { z } from 'zod';
import { exchangeDtoSchema, tokenDtoSchema, type ProviderDto, type SessionDto } from '@/lib/contract/schemas';

/**
 * A recorded flow: one provider's part of the session as the server redacted it (exchanges and token DTOs, which
 * never carry a secret), saved to a file and replayed later in presenter mode without calling anyone.
 */
export const RECORDING_FORMAT = 'health-oauth-console/flow-recording';
export const RECORDING_VERSION = 1;

export const flowRecordingSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.literal(RECORDING_VERSION),
  recordedAt: z.string(),
  provider: z.object({ id: z.string().min(1).max(128), name: z.string().min(1).max(200) }),
  exchanges: z.array(exchangeDtoSchema).max(500),
  tokens: z.array(tokenDtoSchema).max(50),
});
export type FlowRecording = z.infer<typeof flowRecordingSchema>;

export function toRecording(session: SessionDto, provider: Pick<ProviderDto, 'id' | 'name'>, now: Date): FlowRecording {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    recordedAt: now.toISOString(),
    provider: { id: provider.id, name: provider.name },
    exchanges: session.exchanges.filter((e) => e.providerId === provider.id),
    tokens: session.tokens.filter((t) => t.providerId === provider.id),
  };
}

/** A recording file read back: its flow, or why it cannot be replayed, in words. */
export function readRecording(text: string): { ok: true; recording: FlowRecording } | { ok: false; error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not JSON: open a recording saved with Save recording.' };
  }
  const header = z.object({ format: z.string(), version: z.unknown() }).safeParse(parsed);
  if (!header.success || header.data.format !== RECORDING_FORMAT) {
    return { ok: false, error: 'This file is not a flow recording of this console (a HAR or a report cannot be replayed; save a recording).' };
  }
  if (header.data.version !== RECORDING_VERSION) {
    return { ok: false, error: `This recording is version ${String(header.data.version)}; this console reads version ${RECORDING_VERSION}.` };
  }
  const recording = flowRecordingSchema.safeParse(parsed);
  if (!recording.success) {
    const issue = recording.error.issues[0];
    return { ok: false, error: `The recording is damaged: ${issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'it does not match the format'}.` };
  }
  return { ok: true, recording: recording.data };
}
