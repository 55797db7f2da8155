import { describe, expect, it } from 'vitest';
import { checkAdvertisedUrl, discoveryTarget } from './discovery-target';

const ctx = { publicOrigin: 'http://localhost:3000', builtinOrigin: 'http://127.0.0.1:3000', builtinEnabled: true, env: {} };

describe('discoveryTarget', () => {
  it('reaches the console’s own built-in sandbox over loopback, whatever address the browser used', () => {
    expect(discoveryTarget('http://localhost:3000/sandbox/smart/fhir', ctx)).toEqual({ url: 'http://127.0.0.1:3000/sandbox/smart/fhir', allowLoopback: true, builtin: true });
    expect(discoveryTarget(' http://127.0.0.1:3000/sandbox/smart ', ctx)).toMatchObject({ builtin: true });
  });

  it('does not treat other paths of the console, other ports or switched-off sandboxes as built-in', () => {
    expect(discoveryTarget('http://localhost:3000/api/session', ctx)).toMatchObject({ builtin: false, allowLoopback: false });
    expect(discoveryTarget('http://localhost:3001/sandbox/smart', ctx)).toMatchObject({ builtin: false, allowLoopback: false });
    expect(discoveryTarget('http://localhost:3000/sandbox/smart', { ...ctx, builtinEnabled: false })).toMatchObject({ builtin: false });
  });

  it('allows other loopback servers only when the console is told to', () => {
    expect(discoveryTarget('http://127.0.0.1:4000', { ...ctx, env: { CONSOLE_ALLOW_LOOPBACK_PROVIDERS: '1' } })).toMatchObject({ allowLoopback: true, builtin: false });
  });
});

describe('checkAdvertisedUrl', () => {
  const builtin = discoveryTarget('http://localhost:3000/sandbox/smart/fhir', ctx);
  it('SECURITY 9: keeps a built-in sandbox’s endpoints inside the sandboxes', () => {
    expect(checkAdvertisedUrl('http://127.0.0.1:3000/sandbox/smart/auth/token', builtin, ctx.builtinOrigin)).toEqual({ ok: true });
    expect(checkAdvertisedUrl('http://127.0.0.1:3000/api/session', builtin, ctx.builtinOrigin)).toMatchObject({ ok: false });
    expect(checkAdvertisedUrl('http://127.0.0.1:6379/', builtin, ctx.builtinOrigin)).toMatchObject({ ok: false });
  });

  it('SECURITY 9: applies the URL policy to a real server’s endpoints', () => {
    const real = discoveryTarget('https://fhir.example.org/r4', ctx);
    expect(checkAdvertisedUrl('https://auth.example.org/token', real, ctx.builtinOrigin)).toEqual({ ok: true });
    expect(checkAdvertisedUrl('http://auth.example.org/token', real, ctx.builtinOrigin)).toMatchObject({ ok: false });
    expect(checkAdvertisedUrl('https://169.254.169.254/token', real, ctx.builtinOrigin)).toMatchObject({ ok: false });
  });
});
