/**
 * What a browser does on a built-in sandbox's sign-in and consent pages, for tests that need a real authorization
 * code: submit the page's first form with its hidden fields and checked boxes, the login typed into its username
 * (`autocomplete="username"`) and password inputs, and its first submit button, page after page, until the sandbox
 * redirects back to the app. Every built-in sandbox's pages have that shape (lib/sandbox/html.ts), so one helper
 * signs in at all of them and new sandboxes need nothing here.
 */

/** Sends a request to wherever the sandbox is reached (a loopback server, or a handler called directly). */
export type SandboxFetch = (url: string, init?: RequestInit) => Promise<Response>;

export interface SandboxLogin {
  username: string;
  password: string;
}

const maxPages = 5;

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) {
    const [, name, value] = match;
    if (name) attributes.set(name.toLowerCase(), decodeEntities(value ?? ''));
  }
  return attributes;
}

/** The first form of a page as a browser would submit it with its first submit button. */
export function fillFirstForm(page: string, login: SandboxLogin): { action: string; fields: URLSearchParams } {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no form on the page: ${page.slice(0, 300)}`);
  const action = attributesOf(form[1] ?? '').get('action') ?? '';
  const fields = new URLSearchParams();
  for (const [tag] of (form[2] ?? '').matchAll(/<input\b[^>]*>/g)) {
    const input = attributesOf(tag.slice('<input'.length, -1));
    const name = input.get('name');
    if (!name) continue;
    const type = input.get('type') ?? 'text';
    if (type === 'password') fields.append(name, login.password);
    else if (input.get('autocomplete') === 'username') fields.append(name, login.username);
    else if (type === 'checkbox' || type === 'radio') {
      if (input.has('checked')) fields.append(name, input.get('value') ?? 'on');
    } else fields.append(name, input.get('value') ?? '');
  }
  const button = /<button\b([^>]*)>/.exec(form[2] ?? '');
  const submit = attributesOf(button?.[1] ?? '');
  const buttonName = submit.get('name');
  if (buttonName) fields.append(buttonName, submit.get('value') ?? '');
  return { action, fields };
}

/**
 * Opens `authorizeUrl`, signs in as `login` and allows, and returns where the sandbox redirects the browser (the
 * app's callback with `code` and `state`, or an error). Fails when a page answers neither a form nor a redirect.
 */
export async function signInAtSandbox(fetchPage: SandboxFetch, authorizeUrl: string, login: SandboxLogin): Promise<URL> {
  let url = authorizeUrl;
  let response = await fetchPage(url, { redirect: 'manual' });
  for (let page = 0; page < maxPages; page += 1) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) return new URL(location, url);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
    const { action, fields } = fillFirstForm(body, login);
    url = new URL(action, url).toString();
    response = await fetchPage(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      redirect: 'manual',
    });
  }
  throw new Error(`no redirect after ${maxPages} pages from ${authorizeUrl}`);
}
