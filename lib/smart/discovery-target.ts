import 'server-only';
import { checkOutboundUrl } from './url-policy';

/**
 * Which server a typed URL means, and whether loopback may be called for it. The console's own built-in sandboxes
 * (`<console>/sandbox/…`) are always reachable: the server calls them on its loopback origin, whichever address
 * the browser used. Any other loopback server only with `CONSOLE_ALLOW_LOOPBACK_PROVIDERS=1` (tests, a local AS).
 */
export interface DiscoveryTarget {
  url: string;
  allowLoopback: boolean;
  /** The URL names one of this console's built-in sandboxes. */
  builtin: boolean;
}

export interface DiscoveryTargetContext {
  publicOrigin: string;
  builtinOrigin: string;
  builtinEnabled: boolean;
  env?: Partial<Record<string, string>>;
}

export function discoveryTarget(input: string, ctx: DiscoveryTargetContext): DiscoveryTarget {
  const trimmed = input.trim();
  const allowLoopback = (ctx.env ?? process.env).CONSOLE_ALLOW_LOOPBACK_PROVIDERS === '1';
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return { url: trimmed, allowLoopback, builtin: false };
  }
  const ownOrigin = parsed.origin === ctx.publicOrigin || parsed.origin === ctx.builtinOrigin;
  if (ctx.builtinEnabled && ownOrigin && parsed.pathname.startsWith('/sandbox/') && !parsed.username && !parsed.password) {
    return { url: ctx.builtinOrigin + parsed.pathname + parsed.search, allowLoopback: true, builtin: true };
  }
  return { url: trimmed, allowLoopback, builtin: false };
}

/**
 * Whether a URL the server advertised (token endpoint, JWKS …) may be called for this target: the same policy as
 * the typed URL, and for a built-in sandbox only its own mount on the loopback origin.
 */
export function checkAdvertisedUrl(url: string, target: DiscoveryTarget, builtinOrigin: string): { ok: true } | { ok: false; message: string } {
  const checked = checkOutboundUrl(url, { allowLoopback: target.allowLoopback, refuseQuery: false });
  if (!checked.ok) return { ok: false, message: checked.message };
  if (target.builtin && !(checked.url.origin === builtinOrigin && checked.url.pathname.startsWith('/sandbox/'))) {
    return { ok: false, message: `${url} is outside the built-in sandbox the provider was discovered at.` };
  }
  return { ok: true };
}
