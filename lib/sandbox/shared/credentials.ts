import 'server-only';
/** Constant-time matching of client credentials, shared by the sandboxes that check a client id and secret. */

const encoder = new TextEncoder();

/** SHA-256 digest of a UTF-8 string. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Whether two digests are equal, compared in constant time. */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  // Comparing fixed-length digests with no early exit keeps the timing independent of where inputs differ.
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Whether two secrets are equal, compared as SHA-256 digests in constant time. */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  return digestsEqual(await sha256(given), await sha256(expected));
}

/** What {@link createCredentialMatcher} needs of an account or app. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * A lookup of the entry whose client id and secret both match, compared in constant time against every entry so
 * the response time does not reveal which part was wrong. The entries' digests are computed once, on first use.
 */
export function createCredentialMatcher<T extends ClientCredentials>(
  entries: readonly T[],
): (clientId: string, clientSecret: string) => Promise<T | undefined> {
  let digests: Promise<Array<{ entry: T; id: Uint8Array; secret: Uint8Array }>> | undefined;
  return async (clientId, clientSecret) => {
    digests ??= Promise.all(
      entries.map(async (entry) => ({ entry, id: await sha256(entry.clientId), secret: await sha256(entry.clientSecret) })),
    );
    const givenId = await sha256(clientId);
    const givenSecret = await sha256(clientSecret);
    let found: T | undefined;
    for (const candidate of await digests) {
      const idMatches = digestsEqual(givenId, candidate.id);
      const secretMatches = digestsEqual(givenSecret, candidate.secret);
      if (idMatches && secretMatches) found = candidate.entry;
    }
    return found;
  };
}
