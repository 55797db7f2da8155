import { builtinSandboxesEnabled, getSandboxHandler } from '@/lib/sandbox';
import { recordIssuedSecrets } from '@/lib/sandbox/shared/issued-secrets';
import { withTransportFaults } from '@/lib/sandbox/shared/transport-faults';

/** Mounts the built-in provider sandboxes at `/sandbox/{provider}/…`; the emulators live in `lib/sandbox`. */

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

interface RouteContext {
  params: Promise<{ provider: string; path: string[] }>;
}

function notFound(message: string): Response {
  return Response.json({ error: { code: 'not_found', message } }, { status: 404, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * The path after `/sandbox/{provider}`, still percent-encoded. Next hands us decoded params; taking the raw
 * pathname means the sandbox decodes each segment exactly once, so `$export` and `%24export` both work.
 */
function getSandboxPath(request: Request, provider: string, segments: string[]): string {
  const pathname = new URL(request.url).pathname;
  const mount = `/sandbox/${provider}/`;
  const at = pathname.indexOf(mount);
  if (at >= 0) return pathname.slice(at + mount.length - 1);
  return `/${segments.map(encodeURIComponent).join('/')}`;
}

async function dispatch(request: Request, context: RouteContext): Promise<Response> {
  const { provider, path } = await context.params;
  if (!builtinSandboxesEnabled()) return notFound('Built-in sandboxes are turned off (BUILTIN_SANDBOXES).');
  const sandbox = getSandboxHandler(provider);
  if (!sandbox) return notFound(`No built-in sandbox for provider "${provider}".`);
  return withTransportFaults(request, async () => recordIssuedSecrets(await sandbox.handle(request, getSandboxPath(request, provider, path))));
}

// Every method reaches the sandbox, which answers 405 where the emulated API would.
export const GET = dispatch;
export const POST = dispatch;
export const DELETE = dispatch;
export const PUT = dispatch;
export const PATCH = dispatch;
export const HEAD = dispatch;
export const OPTIONS = dispatch;
