import 'server-only';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classifyHost, describeHostClass } from '@/lib/smart/url-policy';
import { OutboundPolicyError } from './outbound-policy-error';

/**
 * For servers a user added (issue #8): every address the host name resolves to must be public, so a name that
 * points into the console's own network (a private, link-local or metadata address) is refused before any request.
 * Loopback passes only where the console allows loopback providers (tests, a local authorization server).
 * The check runs just before each connection; a DNS answer that changes between the check and the connect
 * (rebinding) is not caught here.
 */
export async function assertPublicAddresses(hostname: string, env: Partial<Record<string, string>> = process.env): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    try {
      addresses = (await lookup(bare, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      // Unresolvable: the request itself fails and says so.
      return;
    }
  }
  const allowLoopback = env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS === '1';
  for (const address of addresses) {
    const kind = classifyHost(isIP(address) === 6 ? `[${address}]` : address);
    if (kind === 'public-ip' || (kind === 'loopback' && allowLoopback)) continue;
    throw new OutboundPolicyError(
      `${hostname} resolves to ${address}, a ${kind === 'loopback' ? 'loopback address' : describeHostClass(kind)}; the console calls only public addresses for servers you add.`,
    );
  }
}
