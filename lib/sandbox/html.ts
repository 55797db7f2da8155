import 'server-only';
/**
 * Small server-rendered pages for the built-in sandboxes' login and consent screens: plain HTML with inline styles
 * and no script (their CSP in lib/http/security-headers.mjs allows exactly that, and same-origin form posts), every
 * value escaped.
 */

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof SafeHtml ? v.value : escapeHtml(String(v)))).join('')
      : value instanceof SafeHtml
        ? value.value
        : value === undefined || value === null || value === false
          ? ''
          : escapeHtml(String(value));
    out += rendered + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** The username and password fields of a sandbox login form, with the username typed before kept. */
export function usernamePasswordFields(username = ''): SafeHtml {
  return html`<label for="username">Username</label>
  <input type="text" id="username" name="username" autocomplete="username" value="${username}" required>
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>`;
}

export interface PageOptions {
  /** Shown in the tab and as the page heading. */
  title: string;
  /** The emulated brand, e.g. "Medicare.gov (built-in sandbox)". */
  brand: string;
  /** Accent colour of the brand bar. */
  accent: string;
  body: SafeHtml;
  status?: number;
}

/** A complete HTML page in the sandbox's look: a brand bar, a card, and a note that this is an emulator. */
export function htmlPage({ title, brand, accent, body, status = 200 }: PageOptions): Response {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
  body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1f2933}
  header{background:${new SafeHtml(accent)};color:#fff;padding:14px 24px;font-weight:600;letter-spacing:.2px}
  main{max-width:440px;margin:40px auto;background:#fff;border:1px solid #dde1e6;border-radius:10px;padding:28px 32px;box-shadow:0 1px 2px rgba(0,0,0,.04)}
  h1{font-size:20px;margin:0 0 16px}
  label{display:block;font-weight:600;margin:14px 0 4px}
  input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:9px 11px;border:1px solid #b8c0ca;border-radius:6px;font:inherit}
  button{margin-top:20px;padding:10px 16px;border:0;border-radius:6px;background:${new SafeHtml(accent)};color:#fff;font:inherit;font-weight:600;cursor:pointer}
  button.secondary{background:#fff;color:#1f2933;border:1px solid #b8c0ca;margin-left:8px}
  .error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c14;padding:10px 12px;border-radius:6px;margin-bottom:12px}
  .hint{font-size:13px;color:#52606d;margin-top:18px}
  .scope{display:flex;gap:8px;align-items:flex-start;margin:8px 0}
  code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
  footer{text-align:center;font-size:12px;color:#7b8794;margin:-24px 0 32px}
</style></head>
<body><header>${brand}</header><main><h1>${title}</h1>${body}</main>
<footer>Built-in sandbox of the Health OAuth Console — synthetic data, no real accounts.</footer></body></html>`;
  return new Response(page.value, {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' },
  });
}
