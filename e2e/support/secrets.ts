import type { BrowserContext, Page, Response } from '@playwright/test';
import { deriveFingerprintKey, keyedFingerprint } from '../../lib/http/fingerprint';
import { providers } from '../../lib/providers';
import { E2E_SESSION_SECRET } from './server-env';

/** Every preset secret of every provider: none of them may ever reach the browser. */
export const presetSecrets = providers.flatMap((p) => p.presets.map((preset) => preset.clientSecret)).filter((secret) => secret.length > 0);

/** A compact JWS: a full access token in any form the page could see. */
export const FULL_JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/;
/** A private JWK member (the EC or OKP `d`, an RSA prime or exponent): a DPoP or client key's private half, in any JSON. */
export const PRIVATE_JWK_MEMBER = /"(d|p|q|dp|dq|qi)"\s*:\s*"[A-Za-z0-9_-]{30,}"/;

export interface SeenByBrowser {
  responses: { url: string; headers: string; body: string }[];
}

/** Records every response the page receives: headers and bodies (RSC payloads and API JSON included). */
export function recordResponses(page: Page): SeenByBrowser {
  const seen: SeenByBrowser = { responses: [] };
  page.on('response', (response: Response) => {
    void (async () => {
      let body = '';
      try {
        body = (await response.body()).toString('utf8');
      } catch {
        // redirects and aborted requests have no body
      }
      let headers: Record<string, string>;
      try {
        headers = await response.allHeaders();
      } catch {
        // The page closed while this one arrived (a live view's poll at the end of a test): what Playwright already has.
        headers = response.headers();
      }
      seen.responses.push({ url: response.url(), headers: JSON.stringify(headers), body });
    })();
  });
  return seen;
}

/** Everything the page's JavaScript can read or has been sent: responses, cookies, storage, the DOM. */
export async function browserVisibleText(page: Page, context: BrowserContext, seen: SeenByBrowser): Promise<string[]> {
  const storage = await page.evaluate(() => ({
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    html: document.documentElement.outerHTML,
  }));
  const cookies = JSON.stringify(await context.cookies());
  return [
    ...seen.responses.flatMap((r) => [r.url, r.headers, r.body]),
    storage.cookie,
    storage.local,
    storage.session,
    storage.html,
    cookies,
  ];
}

export interface Fingerprint {
  hmacPrefix: string;
  length: number;
}

/**
 * Opaque tokens have no shape to search for, so look for them by fingerprint: every word of a token's length in
 * the text is fingerprinted as the server does (HMAC-SHA256 under the key HKDF derives from the SESSION_SECRET the
 * test configured for its server) and compared with the fingerprint the console shows. A match means the token itself
 * leaked. A wrong secret would find nothing, so specs that know the issued tokens also check that this finds them.
 */
export function findTokenByFingerprint(texts: string[], fingerprints: Fingerprint[], sessionSecret: string = E2E_SESSION_SECRET): string | null {
  const key = deriveFingerprintKey(sessionSecret);
  for (const fp of fingerprints) {
    const word = new RegExp(`(?<![A-Za-z0-9_~.+/=-])[A-Za-z0-9_~.+/=-]{${fp.length}}(?![A-Za-z0-9_~.+/=-])`, 'g');
    for (const text of texts) {
      for (const match of text.matchAll(word)) {
        if (keyedFingerprint(match[0], key).hmacPrefix === fp.hmacPrefix) return match[0];
      }
    }
  }
  return null;
}

/** The fingerprints of every token the session holds or held, as its own API reports them. */
export async function sessionFingerprints(page: Page): Promise<Fingerprint[]> {
  const session = (await (await page.request.get('/api/session')).json()) as {
    tokens: { fingerprint: Fingerprint; refresh?: { fingerprint: Fingerprint } }[];
  };
  return session.tokens.flatMap((t) => [t.fingerprint, ...(t.refresh ? [t.refresh.fingerprint] : [])]);
}
