import 'server-only';
import { resolveSessionPasswords } from '@/lib/session/secret';
import { getConsoleAuthConfig, type ConsoleAuthConfig } from './config';

/** This process's sign-in configuration, from its environment (validated at startup by lib/startup.ts). */
export function getConsoleAuth(): ConsoleAuthConfig {
  return getConsoleAuthConfig(process.env, () => {
    const passwords = resolveSessionPasswords();
    const current = Math.max(...Object.keys(passwords).map(Number));
    return passwords[String(current)]!;
  });
}
