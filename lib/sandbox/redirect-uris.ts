/**
 * The redirect URIs the built-in sandboxes register for their demo apps: the console's own callback for the
 * provider on the origins a browser reaches it by. Matching is exact (RFC 9700 §2.1), as at the real providers.
 */
export function builtinRedirectUris(providerId: string, env: Record<string, string | undefined> = process.env): string[] {
  const port = env.PORT ?? '3000';
  const origins = new Set([`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
  const configured = env.CONSOLE_PUBLIC_ORIGIN?.trim();
  if (configured) origins.add(new URL(configured).origin);
  return [...origins].map((origin) => `${origin}/api/oauth/${providerId}/callback`);
}
