import { describe, expect, it } from 'vitest';
import type { ConformanceEvent } from '@/lib/contract/conformance';
import { conformanceRunReducer, initialRunState, readConformanceStream } from './run';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function read(chunks: string[]): Promise<ConformanceEvent[]> {
  const events: ConformanceEvent[] = [];
  await readConformanceStream(streamOf(chunks), (e) => events.push(e));
  return events;
}

const start = { type: 'start', runId: 'r', providerId: 'bcda', environmentId: 'builtin', checkIds: ['a', 'b'], startedAt: 1 };
const result = { type: 'result', result: { checkId: 'a', outcome: 'fail', message: 'No no-store.', exchangeIds: ['x'], deviations: [] } };
const done = { type: 'done', finishedAt: 2, summary: { pass: 0, warn: 0, fail: 1, known: 0, skip: 1 } };

describe('readConformanceStream', () => {
  it('reads events whose lines arrive split across chunks', async () => {
    const text = [start, { type: 'progress', step: 'Getting a token' }, result, done].map((e) => JSON.stringify(e)).join('\n') + '\n';
    const events = await read([text.slice(0, 17), text.slice(17, 150), text.slice(150)]);
    expect(events.map((e) => e.type)).toEqual(['start', 'progress', 'result', 'done']);
  });

  it('a line that is not an event ends the run with a sentence, not a crash', async () => {
    const events = await read([`${JSON.stringify(start)}\n{"type":"result","result":{}}\n${JSON.stringify(done)}\n`]);
    expect(events.map((e) => e.type)).toEqual(['start', 'error']);
    expect(events[1]).toMatchObject({ message: expect.stringContaining('timeline') });
  });

  it('a stream that stops before `done` says so', async () => {
    const events = await read([`${JSON.stringify(start)}\n${JSON.stringify(result)}`]);
    expect(events.map((e) => e.type)).toEqual(['start', 'result', 'error']);
  });
});

describe('conformanceRunReducer', () => {
  it('folds a run: running with its step, each result, then done with the summary', () => {
    const events = [start, { type: 'progress', step: 'Running a Bulk Data export' }, result, done] as ConformanceEvent[];
    let state = conformanceRunReducer(initialRunState, { type: 'begin' });
    state = conformanceRunReducer(state, { type: 'event', event: events[0]! });
    state = conformanceRunReducer(state, { type: 'event', event: events[1]! });
    expect(state).toMatchObject({ status: 'running', step: 'Running a Bulk Data export', checkIds: ['a', 'b'] });
    state = conformanceRunReducer(state, { type: 'event', event: events[2]! });
    state = conformanceRunReducer(state, { type: 'event', event: events[3]! });
    expect(state).toMatchObject({ status: 'done', step: undefined, summary: { fail: 1, skip: 1 }, results: { a: { outcome: 'fail' } } });
    // A new run starts clean.
    expect(conformanceRunReducer(state, { type: 'begin' })).toMatchObject({ status: 'running', results: {} });
    expect(conformanceRunReducer(state, { type: 'fail', message: 'Refused.' })).toMatchObject({ status: 'failed', error: 'Refused.' });
  });
});
