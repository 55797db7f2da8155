import { describe, expect, it } from 'vitest';
import { formatBody, splitUrl } from './timeline-utils';

describe('formatBody', () => {
  it('pretty-prints JSON', () => {
    expect(formatBody('{"a":1}')).toEqual({ text: '{\n  "a": 1\n}', json: true });
  });
  it('keeps text and broken JSON as sent', () => {
    expect(formatBody('Unauthorized\n')).toEqual({ text: 'Unauthorized\n', json: false });
    expect(formatBody('{"a":')).toEqual({ text: '{"a":', json: false });
  });
});

describe('splitUrl', () => {
  it('splits origin from path', () => {
    expect(splitUrl('http://127.0.0.1:3000/sandbox/bcda/auth/token')).toEqual({
      origin: 'http://127.0.0.1:3000',
      rest: '/sandbox/bcda/auth/token',
    });
    expect(splitUrl('not a url')).toEqual({ origin: '', rest: 'not a url' });
  });
});
