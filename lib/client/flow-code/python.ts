import { headerLines } from './header';
import type { FlowRecipe, RequestTemplate, TemplatePart } from './recipe';

/** A Python string literal: JSON's escapes are Python's for every character JSON.stringify writes. */
const py = (text: string) => JSON.stringify(text);

function expression(part: TemplatePart): string {
  if (part.segments.length === 0) return "''";
  return part.segments
    .map((segment) => {
      if ('literal' in segment) return py(segment.literal);
      const value = `v(${py(segment.variable)})`;
      return part.encoding === 'form' ? `quote(${value}, safe='')` : part.encoding === 'json' ? `json.dumps(${value})[1:-1]` : value;
    })
    .join(' + ');
}

function requestCall(template: RequestTemplate): string {
  const headers = template.headers.map((h) => `(${py(h.name)}, ${expression(h.value)})`);
  if (template.basicAuth) headers.push(`('Authorization', basic())`);
  const body = template.body ? expression(template.body) : 'None';
  return `send(${py(template.method)}, ${expression(template.url)}, [${headers.join(', ')}], ${body})`;
}

/** Python 3 with the standard library only; a client assertion is signed by `openssl`, which Debian ships. */
export function toPython(recipe: FlowRecipe): string {
  const header = headerLines(recipe, ['python3 flow.py']);
  const out: string[] = [];
  out.push('#!/usr/bin/env python3', ...header.map((l) => `# ${l}`.trimEnd()), '');
  out.push(`import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, quote, urlsplit

VARS = {
${recipe.variables.map((variable) => `    ${py(variable.name)}: os.environ.get(${py(variable.name)}${variable.defaultValue ? `, ${py(variable.defaultValue)}` : ''}),`).join('\n')}
}


def fail(message):
    print(f"✗ {message}", file=sys.stderr)
    sys.exit(1)


def v(name):
    """A variable's value; stops the program when one it needs is not set."""
    value = VARS.get(name)
    if not value:
        fail(f"Set {name} first (see the comment at the top).")
    return value


def fingerprint(secret):
    """Tokens are printed as a length and a hash prefix, never themselves."""
    return f"{len(secret)} chars, sha256 {hashlib.sha256(secret.encode()).hexdigest()[:12]}"


def basic():
    # RFC 7617: base64 of "id:secret", as the console sent it.
    return "Basic " + base64.b64encode(f"{v('CLIENT_ID')}:{v('CLIENT_SECRET')}".encode()).decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def send(method, url, headers, body=None):
    """One request, any method (a GET may carry a body where the provider documents one); returns status, headers, text."""
    print(f"→ {method} {url}")
    data = None if body is None else body.encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
    try:
        with OPENER.open(request, timeout=30) as response:
            status, response_headers, text = response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, response_headers, text = error.code, error.headers, error.read().decode("utf-8", "replace")
    print(f"← {status} ({len(text)} bytes)")
    return status, response_headers, text


def as_json(status, text, what):
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        fail(f"{what} is not a JSON object (HTTP {status}): {text[:300]}")
    return parsed


def read_token(answer, what):
    """Reads a token response (RFC 6749 §5.1) leniently, as the console does: a string expires_in is seconds."""
    status, _, text = answer
    if not 200 <= status < 300:
        fail(f"{what} refused (HTTP {status}): {text[:300]}")
    body = as_json(status, text, what)
    if not isinstance(body.get("access_token"), str):
        fail(f"{what}: no access_token in the answer.")
    VARS["ACCESS_TOKEN"] = body["access_token"]
    if isinstance(body.get("refresh_token"), str):
        if VARS.get("REFRESH_TOKEN") and VARS["REFRESH_TOKEN"] != body["refresh_token"]:
            print("  the server rotated the refresh token: the new one replaces the old (RFC 9700 §4.14.2)")
        VARS["REFRESH_TOKEN"] = body["refresh_token"]
    try:
        expires = f", expires in {float(body.get('expires_in')):g} s"
    except (TypeError, ValueError):
        expires = ""
    note = " (expires_in sent as a string)" if isinstance(body.get("expires_in"), str) else ""
    print(f"  access token: {fingerprint(body['access_token'])}, token_type {body.get('token_type')}{expires}{note}")


def bearer():
    # "Bearer" whatever case token_type came in (RFC 6750 §2.1; some servers refuse "bearer").
    return ("Authorization", "Bearer " + v("ACCESS_TOKEN"))
`);

  if (recipe.assertion) {
    const alg = recipe.assertion.alg;
    out.push(`
def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def der_to_raw(der, size):
    """An ECDSA signature from openssl (DER) as JWS wants it: r and s, each left-padded to the curve size (RFC 7518 §3.4)."""
    def integer(at):
        length = der[at + 1]
        value = der[at + 2 : at + 2 + length]
        return value.lstrip(b"\\x00").rjust(size, b"\\x00"), at + 2 + length
    start = 3 if der[1] & 0x80 else 2
    r, after = integer(start)
    s, _ = integer(after)
    return r + s


def sign_assertion():
    """A fresh client assertion for each token request (RFC 7523 §3): new jti, 5-minute exp, signed by openssl."""
    now = int(time.time())
    header = {"alg": ${py(alg)}, "typ": "JWT"${recipe.assertion.kid ? `, "kid": ${py(recipe.assertion.kid)}` : ''}}
    claims = {"iss": v("CLIENT_ID"), "sub": v("CLIENT_ID"), "aud": ${py(recipe.assertion.audience)}, "jti": str(uuid.uuid4()), "iat": now, "exp": now + 300}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    digest = "-sha" + ${py(alg)}[2:]
    signature = subprocess.run(["openssl", "dgst", digest, "-sign", v("PRIVATE_KEY_FILE")], input=signing_input.encode(), capture_output=True, check=True).stdout
    if ${py(alg)}.startswith("ES"):
        signature = der_to_raw(signature, {"ES256": 32, "ES384": 48, "ES512": 66}[${py(alg)}])
    VARS["CLIENT_ASSERTION"] = signing_input + "." + b64url(signature)
`);
  }

  if (recipe.authorize) {
    out.push(`
def await_callback():
    """Waits for the authorization server to send the browser back to REDIRECT_URI; returns the query."""
    redirect = urlsplit(v("REDIRECT_URI"))
    received = {}

    class Callback(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            if url.path != redirect.path:
                self.send_response(404)
                self.end_headers()
                return
            received.update({k: vs[0] for k, vs in parse_qs(url.query).items()})
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write("Back in the terminal: you can close this tab.\\n".encode())

        def log_message(self, *args):
            pass  # the query holds the code: not logged

    server = HTTPServer((redirect.hostname, redirect.port or 80), Callback)
    return server, received


def authorize():
    VARS["STATE"] = secrets.token_urlsafe(24)
    VARS["NONCE"] = secrets.token_urlsafe(24)
    # RFC 7636 §4.1–4.2: a fresh verifier, sent only to the token endpoint; its S256 challenge goes in the URL.
    VARS["CODE_VERIFIER"] = secrets.token_urlsafe(48)
    VARS["CODE_CHALLENGE"] = base64.urlsafe_b64encode(hashlib.sha256(VARS["CODE_VERIFIER"].encode()).digest()).rstrip(b"=").decode()
    server, received = await_callback()
    print("Open this URL in a browser and log in:", flush=True)
    print(${expression(recipe.authorize.url)}, flush=True)
    while not received:
        server.handle_request()
    server.server_close()
    if received.get("state") != VARS["STATE"]:
        fail("The callback's state is not the one sent: refused (RFC 6749 §10.12).")
    if received.get("error"):
        fail(f"The authorization server answered {received['error']}: {received.get('error_description', '')}")
    if not received.get("code"):
        fail("The callback carries no code.")
    VARS["CODE"] = received["code"]
    print("← callback with a code, state checked")
`);
  }

  out.push('', 'def main():');
  if (recipe.authorize) out.push('    authorize()');
  if (recipe.assertion) out.push('    sign_assertion()');
  out.push(`    read_token(${requestCall(recipe.token)}, "The token request")`);
  if (recipe.firstCall) {
    const headers = recipe.firstCall.headers.map(([n, h]) => `(${py(n)}, ${py(h)})`);
    out.push(`    status, _, text = send(${py(recipe.firstCall.method)}, ${py(recipe.firstCall.url)}, [${[...headers, 'bearer()'].join(', ')}])
    if not 200 <= status < 300:
        fail(f"The first call answered {status}: {text[:300]}")
    answer = as_json(status, text, "The first call")
    entries = f", {len(answer['entry'])} entries" if isinstance(answer.get("entry"), list) else ""
    print(f"  {answer.get('resourceType') or ', '.join(list(answer)[:5])}{entries}")`);
  }
  if (recipe.bulk) {
    const headers = recipe.bulk.headers.map(([n, h]) => `(${py(n)}, ${py(h)})`);
    out.push(`    # Bulk Data IG 2.0: kick-off (202 + Content-Location), status polls until the manifest, then each file.
    status, headers, text = send("GET", ${py(recipe.bulk.kickoffUrl)}, [${[...headers, 'bearer()'].join(', ')}])
    status_url = headers.get("Content-Location")
    if status != 202 or not status_url:
        fail(f"The kick-off answered {status}, not 202 with Content-Location: {text[:300]}")
    manifest = None
    for _ in range(120):
        status, headers, text = send("GET", status_url, [bearer(), ("Accept", "application/json")])
        if status == 200:
            manifest = as_json(status, text, "The manifest")
            break
        if status not in (202, 429):
            fail(f"The status request answered {status}: {text[:300]}")
        retry_after = headers.get("Retry-After")
        wait = float(retry_after) if retry_after and retry_after.isdigit() else 2.0
        wait = min(max(wait, 1.0), 30.0)
        print(f"  {headers.get('X-Progress') or 'in progress'}; asking again in {wait:g} s")
        time.sleep(wait)
    if manifest is None:
        fail("The export did not finish in 120 polls.")
    files = manifest.get("output") or []
    print(f"  manifest: {len(files)} file(s), requiresAccessToken {json.dumps(manifest.get('requiresAccessToken'))}")
    for file in files:
        file_headers = [("Accept", "application/fhir+ndjson")]
        if manifest.get("requiresAccessToken") is not False:
            file_headers.append(bearer())
        status, _, text = send("GET", file["url"], file_headers)
        if status != 200:
            fail(f"Downloading {file['url']} answered {status}")
        print(f"  {file.get('type', 'file')}: {len([line for line in text.splitlines() if line.strip()])} resources")`);
  }
  if (recipe.refresh) {
    out.push(`    if VARS.get("REFRESH_TOKEN"):${recipe.assertion ? '\n        sign_assertion()' : ''}
        read_token(${requestCall(recipe.refresh)}, "The refresh")
    else:
        print("No refresh token was issued: nothing to refresh.")`);
  }
  out.push(`    print("✓ done")


if __name__ == "__main__":
    main()
`);
  return out.join('\n');
}
