import 'server-only';
import { builtinOrigin } from '@/lib/providers/resolve';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { checkHost } from './origin';

/**
 * The console as the built-in sandboxes see it (the `ConsoleHost` of lib/sandbox/host.ts): its addresses from
 * configuration (./origin, never a Host header) and the origin its server reaches itself at.
 */
export const consoleHost = {
  originOf(host: string): string | null {
    const check = checkHost(host, null);
    return check.ok ? check.origin : null;
  },
  internalOrigin(): string | undefined {
    try {
      const { origin } = new URL(builtinOrigin());
      return origin === 'null' ? undefined : origin;
    } catch {
      return undefined;
    }
  },
  stateSettings() {
    const passwords = resolveSessionPasswords();
    const newest = Object.keys(passwords).sort((a, b) => Number(b) - Number(a))[0];
    return { redisUrl: process.env.REDIS_URL?.trim() || undefined, secret: passwords[newest ?? ''] ?? '' };
  },
};
