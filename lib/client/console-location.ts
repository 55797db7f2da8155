/**
 * The page's own URL parameters. The authorization callback sends the browser to `/?provider={id}&flow=returned`
 * (`&flow=no-session` when the session cookie did not come back); the page keeps `?provider=` in step with the
 * picker so a reload stays on the same provider. Never a token, code or secret: only a provider id.
 */
export interface ConsoleLocation {
  providerId: string | null;
  /**
   * `returned`: back from the authorization, the page shows its outcome; `no-session`: the callback found no session
   * cookie, so nothing could be completed.
   */
  flow: string | null;
}

export function readConsoleLocation(search: string): ConsoleLocation {
  const params = new URLSearchParams(search);
  return { providerId: params.get('provider') || null, flow: params.get('flow') || null };
}

/**
 * The same location with `provider` set (or removed when null) and the one-shot `flow` flag dropped; path and
 * hash kept. Other parameters stay as they are.
 */
export function withConsoleProvider(href: string, providerId: string | null): string {
  const url = new URL(href, 'http://console.invalid');
  url.searchParams.delete('flow');
  if (providerId) url.searchParams.set('provider', providerId);
  else url.searchParams.delete('provider');
  return `${url.pathname}${url.search}${url.hash}`;
}
