import type { BrowserContext, Page, Response } from '@playwright/test';
import { bcda } from '../../lib/providers/bcda';

/** Every BCDA preset secret: none of them may ever reach the browser. */
export const presetSecrets = bcda.presets.map((p) => p.clientSecret);

/** A compact JWS: a full access token in any form the page could see. */
export const FULL_JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/;

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
      seen.responses.push({ url: response.url(), headers: JSON.stringify(await response.allHeaders()), body });
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
