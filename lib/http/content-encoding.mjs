// How a built-in sandbox's Content-Encoding reaches the client: Next drops that header from route handler answers
// (next/dist/server/send-response.js, FORBIDDEN_HEADERS), so the sandbox route carries it in a header of its own,
// which scripts/server.mjs turns back into Content-Encoding as the head goes out.

/** The header a sandbox answer's Content-Encoding travels in between the route handler and scripts/server.mjs. */
export const SANDBOX_CONTENT_ENCODING_HEADER = 'x-console-content-encoding';

/** Set by scripts/server.mjs: it restores the header, so the sandboxes may encode. */
export const CONTENT_ENCODING_RESTORED_ENV = 'CONSOLE_RESTORES_CONTENT_ENCODING';
