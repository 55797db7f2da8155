import { describe, expect, it } from 'vitest';
import { assertPublicAddresses } from './address-policy';

describe('assertPublicAddresses', () => {
  it('refuses names and literals that reach the console’s own network', async () => {
    await expect(assertPublicAddresses('localhost', {})).rejects.toThrow(/resolves to .*loopback/);
    await expect(assertPublicAddresses('10.1.2.3', {})).rejects.toThrow(/private-network/);
    await expect(assertPublicAddresses('169.254.169.254', {})).rejects.toThrow(/metadata/);
    await expect(assertPublicAddresses('[fd00::1]', {})).rejects.toThrow(/unique-local/);
  });

  it('lets public addresses through, and loopback only where the console allows loopback providers', async () => {
    await expect(assertPublicAddresses('93.184.215.14', {})).resolves.toBeUndefined();
    await expect(assertPublicAddresses('localhost', { CONSOLE_ALLOW_LOOPBACK_PROVIDERS: '1' })).resolves.toBeUndefined();
    await expect(assertPublicAddresses('10.1.2.3', { CONSOLE_ALLOW_LOOPBACK_PROVIDERS: '1' })).rejects.toThrow(/private-network/);
  });
});
