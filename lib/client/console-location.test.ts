import { describe, expect, it } from 'vitest';
import { readConsoleLocation, withConsoleProvider } from './console-location';

describe('readConsoleLocation', () => {
  it('reads the provider and the flow flag the callback sets', () => {
    expect(readConsoleLocation('?provider=bluebutton&flow=no-session')).toEqual({ providerId: 'bluebutton', flow: 'no-session' });
    expect(readConsoleLocation('')).toEqual({ providerId: null, flow: null });
    expect(readConsoleLocation('?provider=')).toEqual({ providerId: null, flow: null });
  });
});

describe('withConsoleProvider', () => {
  it('sets the provider and drops the one-shot flow flag', () => {
    expect(withConsoleProvider('/?provider=bluebutton&flow=no-session', 'bluebutton')).toBe('/?provider=bluebutton');
    expect(withConsoleProvider('http://localhost:3000/', 'candid')).toBe('/?provider=candid');
  });
  it('keeps other parameters and the hash, and can remove the provider', () => {
    expect(withConsoleProvider('/?debug=1&provider=bcda#timeline', 'healthsherpa')).toBe('/?debug=1&provider=healthsherpa#timeline');
    expect(withConsoleProvider('/?provider=bcda', null)).toBe('/');
  });
});
