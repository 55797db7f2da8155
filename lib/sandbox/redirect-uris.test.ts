import { describe, expect, it } from 'vitest';
import { createBlueButtonSandbox } from './bluebutton';
import { bluebutton } from '@/lib/providers/bluebutton';
import { builtinRedirectUris, redirectMismatchNote } from './redirect-uris';
import { PROGRAM_REDIRECT_URI } from '@/lib/contract/oauth';
import { SANDBOX_PROGRAM_CALLBACK_ORIGIN, sandboxPagePolicy } from '@/lib/http/security-headers.mjs';

describe('builtinRedirectUris', () => {
  it('registers the console callback on localhost and 127.0.0.1 at the port, a configured public origin, and the exported programs’ loopback listener', () => {
    expect(builtinRedirectUris('bluebutton', { PORT: '3100', CONSOLE_PUBLIC_ORIGIN: 'https://console.example/ignored' })).toEqual([
      'http://localhost:3100/api/oauth/bluebutton/callback',
      'http://127.0.0.1:3100/api/oauth/bluebutton/callback',
      'https://console.example/api/oauth/bluebutton/callback',
      'http://127.0.0.1:8765/callback',
    ]);
  });
});

describe('the sandbox pages’ form-action', () => {
  it('lets the login form’s redirect reach an exported program’s listener, and nothing else off this origin', () => {
    expect(new URL(PROGRAM_REDIRECT_URI).origin).toBe(SANDBOX_PROGRAM_CALLBACK_ORIGIN);
    expect(sandboxPagePolicy).toContain(`form-action 'self' ${SANDBOX_PROGRAM_CALLBACK_ORIGIN};`);
  });
});

describe('redirectMismatchNote', () => {
  it('escapes what it was sent and names the fix', () => {
    const note = redirectMismatchNote('http://evil.example/<script>', ['http://localhost:3000/api/oauth/x/callback']).value;
    expect(note).toContain('&lt;script&gt;');
    expect(note).toContain('CONSOLE_PUBLIC_ORIGIN');
  });

  it("shows on Blue Button's mismatch page, which never redirects", async () => {
    const registered = ['http://localhost:3000/api/oauth/bluebutton/callback'];
    const sandbox = createBlueButtonSandbox({ redirectUris: () => registered });
    const app = bluebutton.presets[0]!;
    const query = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: 'http://192.168.1.20:3000/api/oauth/bluebutton/callback',
      response_type: 'code',
      state: 'state-0123456789abcdef',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const response = await sandbox.handle(new Request(`http://localhost:3000/sandbox/bluebutton/v2/o/authorize?${query}`), '/v2/o/authorize');
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const page = await response.text();
    expect(page).toContain('Mismatching redirect URI.');
    expect(page).toContain('http://192.168.1.20:3000/api/oauth/bluebutton/callback');
    expect(page).toContain(registered[0]);
  });
});
