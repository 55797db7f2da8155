import 'server-only';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { classifyHost, describeHostClass } from '@/lib/smart/url-policy';
import { OutboundPolicyError } from './outbound-policy-error';

/**
 * For servers a user added (issue #8, SECURITY.md rule 9): every address a connection goes to must be public, so a
 * name that points into the console's own network (private, link-local, metadata, loopback) is refused. Names are
 * checked by the lookup the socket connects with, so the address checked is the address used (no window for DNS
 * rebinding between a check and the connect); IP literals, which need no lookup, are checked before connecting.
 * Loopback passes only where the console allows loopback providers (tests, a local authorization server).
 */

function refusal(host: string, address: string, env: Partial<Record<string, string>>): OutboundPolicyError | null {
  const kind = classifyHost(isIP(address) === 6 ? `[${address}]` : address);
  if (kind === 'public-ip' || (kind === 'loopback' && env.CONSOLE_ALLOW_LOOPBACK_PROVIDERS === '1')) return null;
  const what = kind === 'loopback' ? 'loopback address' : describeHostClass(kind);
  return new OutboundPolicyError(`${host} resolves to ${address}, a ${what}; the console calls only public addresses for servers you add.`);
}

/** An IP-literal host (`10.0.0.1`, `[fd00::1]`) is refused before connecting; a name is left to the lookup. */
export function assertPublicLiteral(hostname: string, env: Partial<Record<string, string>> = process.env): void {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) return;
  const refused = refusal(hostname, bare, env);
  if (refused) throw refused;
}

/** A `lookup` for node:net that answers only with public addresses, or fails the connection with the reason. */
export function publicOnlyLookup(env: Partial<Record<string, string>> = process.env): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      for (const { address } of addresses) {
        const refused = refusal(hostname, address, env);
        if (refused) return callback(refused as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const [first] = addresses;
      return first ? callback(null, first.address, first.family) : callback(new Error(`${hostname} has no address`) as NodeJS.ErrnoException, '', 0);
    });
  };
}
