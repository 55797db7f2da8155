import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** iron's password map: the highest id seals, every id unseals (SECURITY.md: password rotation). */
export type PasswordMap = Record<string, string>;

const passwordSchema = z.string().min(32, 'each SESSION_SECRET password needs at least 32 characters');
const passwordMapSchema = z.record(z.string().regex(/^\d+$/, 'password ids are numbers'), passwordSchema);

export class SessionSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionSecretError';
  }
}

const GENERATED = Symbol.for('console.session.generatedSecret');
type GlobalWithSecret = typeof globalThis & { [GENERATED]?: PasswordMap };

/**
 * Reads SESSION_SECRET: a password of ≥ 32 characters, or a JSON map `{"2":"new…","1":"old…"}`.
 * Without it, development and tests get a random per-process secret (sessions end on restart, and the log
 * says so); production refuses, because sessions would silently break across restarts and instances.
 */
export function resolveSessionPasswords(env: NodeJS.ProcessEnv = process.env): PasswordMap {
  const raw = env.SESSION_SECRET?.trim();
  if (raw) return parseSessionSecret(raw);
  if (env.NODE_ENV === 'production') {
    throw new SessionSecretError(
      'SESSION_SECRET is not set. In production the console needs a fixed secret of at least 32 characters ' +
        '(e.g. `openssl rand -hex 32`) so sessions survive restarts and work across instances. ' +
        'For a local demo run `npm run serve`, which generates one.',
    );
  }
  const g = globalThis as GlobalWithSecret;
  if (!g[GENERATED]) {
    g[GENERATED] = { '1': randomBytes(32).toString('hex') };
  }
  return g[GENERATED];
}

export function parseSessionSecret(raw: string): PasswordMap {
  if (raw.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new SessionSecretError('SESSION_SECRET starts with "{" but is not valid JSON.');
    }
    const result = passwordMapSchema.safeParse(parsed);
    if (!result.success || Object.keys(result.data).length === 0) {
      throw new SessionSecretError(
        `SESSION_SECRET map is invalid: ${result.success ? 'it is empty' : result.error.issues[0]?.message}.`,
      );
    }
    return result.data;
  }
  const result = passwordSchema.safeParse(raw);
  if (!result.success) throw new SessionSecretError(`SESSION_SECRET is too short: ${result.error.issues[0]?.message}.`);
  return { '1': raw };
}

/** Whether this process runs on a session secret it generated (development without SESSION_SECRET). */
export function usesGeneratedSessionSecret(): boolean {
  return (globalThis as GlobalWithSecret)[GENERATED] !== undefined;
}
