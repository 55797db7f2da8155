import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBcdaSandbox, type BcdaSandboxOptions } from '@/lib/sandbox/bcda';
import { withTransportFaults } from '@/lib/sandbox/shared/transport-faults';

/** A built-in sandbox as the app mounts it: a Request and the path after the mount point in, a Response out. */
interface MountableSandbox {
  handle(request: Request, path: string): Promise<Response>;
}

export interface LoopbackSandbox {
  /** `http://127.0.0.1:<port>`; the sandbox answers under `${origin}${mountPath}`. */
  origin: string;
  close: () => Promise<void>;
}

/**
 * Serves a built-in sandbox on a loopback port, mounted at `mountPath` as in the app (with the simulated transport
 * faults), so BFF code and providers' own SDKs can be tested over real HTTP exactly as they talk to a remote provider.
 */
export async function startLoopbackSandbox(mountPath: string, sandbox: MountableSandbox): Promise<LoopbackSandbox> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const request = new Request(url, { method, headers, body, duplex: 'half' } as RequestInit);
    const response = url.pathname.startsWith(`${mountPath}/`)
      ? await withTransportFaults(request, () => sandbox.handle(request, url.pathname.slice(mountPath.length)))
      : new Response(null, { status: 404 });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (!response.body) return void res.end();
    // A body that fails ends the connection, as in the app (a simulated reset or truncation).
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), res).catch(() => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A fresh built-in BCDA sandbox on a loopback port, mounted at /sandbox/bcda. */
export function startLoopbackBcda(options: BcdaSandboxOptions = {}): Promise<LoopbackSandbox> {
  return startLoopbackSandbox('/sandbox/bcda', createBcdaSandbox(options));
}
