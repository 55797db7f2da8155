import 'server-only';
import { PROGRAM_REDIRECT_URI } from '@/lib/contract/oauth';
import { html, type SafeHtml } from './html';

/**
 * The redirect URIs the built-in sandboxes register for their demo apps: the console's own callback for the
 * provider on the origins a browser reaches it by, and the loopback listener of an exported program. Matching is
 * exact (RFC 9700 §2.1), as at the real providers.
 */
export function builtinRedirectUris(providerId: string, env: Record<string, string | undefined> = process.env): string[] {
  const port = env.PORT ?? '3000';
  const origins = new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  const configured = env.CONSOLE_PUBLIC_ORIGIN?.trim();
  if (configured) origins.add(new URL(configured).origin);
  return [...[...origins].map((origin) => `${origin}/api/oauth/${providerId}/callback`), PROGRAM_REDIRECT_URI];
}

/**
 * What the built-in sandbox adds under its provider's "redirect URI mismatch" page: the URI it was sent and the
 * ones it has registered, so the fix (open the console by one of those addresses, or set CONSOLE_PUBLIC_ORIGIN)
 * is on the page where the flow stopped.
 */
export function redirectMismatchNote(sent: string | null, registered: readonly string[]): SafeHtml {
  return html`<p class="hint">Built-in sandbox: it was sent <code>${sent ?? '(none)'}</code>; its demo apps have registered
${registered.map((uri, i) => html`${i > 0 ? ', ' : ''}<code>${uri}</code>`)}. Open the console by one of those addresses, or set
<code>CONSOLE_PUBLIC_ORIGIN</code> to the address you use.</p>`;
}
