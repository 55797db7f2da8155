import { describe, expect, it } from 'vitest';
import { LOOKS_SECRET, makeExchange, makeSession, makeToken } from '@/lib/client/timeline/test-fixtures';
import { readRecording, toRecording } from './flow-recording';

describe('flow recordings', () => {
  const session = makeSession({
    exchanges: [makeExchange(), makeExchange({ id: 'other', providerId: 'candid' })],
    tokens: [makeToken(), makeToken({ providerId: 'candid' })],
  });

  it('keeps only the provider’s part of the session and reads back what it wrote', () => {
    const recording = toRecording(session, { id: 'bcda', name: 'CMS BCDA' }, new Date(Date.UTC(2026, 11, 5)));
    expect(recording.exchanges.map((e) => e.id)).toEqual(['ex-1']);
    expect(recording.tokens.map((t) => t.providerId)).toEqual(['bcda']);
    const text = JSON.stringify(recording);
    expect(readRecording(text)).toEqual({ ok: true, recording });
    for (const pattern of LOOKS_SECRET) expect(text).not.toMatch(pattern);
  });

  it('refuses what is not a recording of this version, or is damaged, saying which', () => {
    const recording = toRecording(session, { id: 'bcda', name: 'CMS BCDA' }, new Date());
    expect(readRecording('not json')).toEqual({ ok: false, error: 'This file is not JSON: open a recording saved with Save recording.' });
    expect(readRecording(JSON.stringify({ log: { version: '1.2' } }))).toMatchObject({ ok: false, error: expect.stringContaining('not a flow recording') });
    expect(readRecording(JSON.stringify({ ...recording, version: 2 }))).toEqual({ ok: false, error: 'This recording is version 2; this console reads version 1.' });
    const damaged = { ...recording, exchanges: [{ ...recording.exchanges[0], status: 'two hundred' }] };
    expect(readRecording(JSON.stringify(damaged))).toMatchObject({ ok: false, error: expect.stringMatching(/^The recording is damaged: exchanges\.0\.status: /) });
  });
});
