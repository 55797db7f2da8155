import { describe, expect, it } from 'vitest';
import { consoleHost } from '@/lib/http/console-host';
import { createOneUpHealthSandbox, getOneUpHealthSandbox } from './index';
import { send } from './test-helpers';

describe('1upHealth sandbox instance', () => {
  it('is one shared instance per process', () => {
    expect(getOneUpHealthSandbox(consoleHost)).toBe(getOneUpHealthSandbox(consoleHost));
  });

  it('answers JSON 404s for unknown paths and 405 for wrong methods', async () => {
    const sandbox = createOneUpHealthSandbox();
    const unknown = await send(sandbox, '/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json');
    expect((await send(sandbox, '/auth/realms/dev-portal/protocol/openid-connect/token', { method: 'PUT' })).status).toBe(405);
    expect((await send(sandbox, '/oauth2/token')).status).toBe(405);
    expect((await send(sandbox, '/r4/Patient', { method: 'POST' })).status).toBe(405);
  });

  it('matches a percent-encoded $export like a literal one', async () => {
    const sandbox = createOneUpHealthSandbox();
    // No token: the export route answers 401 rather than the router's 404.
    expect((await send(sandbox, '/v1/bison/bulk-export/bulk-data/r4/%24export')).status).toBe(401);
  });
});
