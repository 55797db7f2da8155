import 'server-only';
import { sealData, unsealData } from 'iron-session';
import { z } from 'zod';
import { exchangeDtoSchema, tokenDeviationSchema, tokenVerificationSchema, type ExchangeDto } from '@/lib/api-client/schemas';
import type { PasswordMap } from './secret';
import type { VaultStore } from './store';

/**
 * The server-side vault: tokens and the exchange history of each session, keyed by session id, every entry
 * sealed (encrypted and authenticated) before it reaches the store, token entries expiring with the token.
 */

export const storedTokenSchema = z.object({
  providerId: z.string(),
  environmentId: z.string(),
  credential: z.object({
    kind: z.enum(['preset', 'custom']),
    presetId: z.string().optional(),
    clientId: z.string(),
    label: z.string(),
  }),
  accessToken: z.string(),
  tokenType: z.string(),
  expiresInRaw: z.unknown(),
  issuedAt: z.number(),
  expiresAt: z.number(),
  scope: z.string().optional(),
  deviations: z.array(tokenDeviationSchema),
  verification: tokenVerificationSchema,
  exchangeId: z.string().optional(),
});
export type StoredToken = z.infer<typeof storedTokenSchema>;

const HISTORY_MAX_EXCHANGES = 200;
const HISTORY_TTL_SECONDS = 12 * 60 * 60;
/** Keep an expired token a little while so the page can show it as expired rather than gone. */
const EXPIRED_TOKEN_GRACE_SECONDS = 10 * 60;

export class SessionVault {
  constructor(
    private readonly store: VaultStore,
    private readonly passwords: PasswordMap,
    private readonly now: () => number = Date.now,
  ) {}

  async putToken(sid: string, token: StoredToken): Promise<void> {
    const ttl = Math.max(1, Math.ceil((token.expiresAt - this.now()) / 1000)) + EXPIRED_TOKEN_GRACE_SECONDS;
    await this.store.set(tokenKey(sid, token.providerId), await this.seal(token, ttl), ttl);
  }

  async getToken(sid: string, providerId: string): Promise<StoredToken | null> {
    const sealed = await this.store.get(tokenKey(sid, providerId));
    if (!sealed) return null;
    const data = await this.unseal(sealed);
    const parsed = storedTokenSchema.safeParse(data);
    return parsed.success ? parsed.data : null;
  }

  async getTokens(sid: string, providerIds: readonly string[]): Promise<StoredToken[]> {
    const tokens = await Promise.all(providerIds.map((id) => this.getToken(sid, id)));
    return tokens.filter((t): t is StoredToken => t !== null);
  }

  async recordExchange(sid: string, exchange: ExchangeDto): Promise<void> {
    await this.store.append(historyKey(sid), await this.seal(exchange, HISTORY_TTL_SECONDS), {
      maxLength: HISTORY_MAX_EXCHANGES,
      ttlSeconds: HISTORY_TTL_SECONDS,
    });
  }

  async listExchanges(sid: string): Promise<ExchangeDto[]> {
    const sealed = await this.store.list(historyKey(sid));
    const items = await Promise.all(sealed.map((s) => this.unseal(s)));
    return items.flatMap((item) => {
      const parsed = exchangeDtoSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** Forgets everything of the session: logout (ASVS 7.4.1). */
  async clear(sid: string, providerIds: readonly string[]): Promise<void> {
    await this.store.delete(historyKey(sid), ...providerIds.map((id) => tokenKey(sid, id)));
  }

  private seal(value: unknown, ttlSeconds: number): Promise<string> {
    return sealData(value as Record<string, unknown>, { password: this.passwords, ttl: ttlSeconds });
  }

  private async unseal(sealed: string): Promise<unknown> {
    try {
      return await unsealData(sealed, { password: this.passwords, ttl: 0 });
    } catch {
      return null;
    }
  }
}

function tokenKey(sid: string, providerId: string): string {
  return `vault:${sid}:token:${providerId}`;
}

function historyKey(sid: string): string {
  return `vault:${sid}:history`;
}
