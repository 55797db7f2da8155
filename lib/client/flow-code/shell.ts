import { shellSingleQuote } from '@/lib/client/timeline/curl';
import { headerLines } from './header';
import type { FlowRecipe, RequestTemplate, TemplatePart } from './recipe';

/** One shell word for a part of a request: literals single-quoted, each variable encoded for its place. */
function word(part: TemplatePart): string {
  if (part.segments.length === 0) return "''";
  return part.segments
    .map((segment) => {
      if ('literal' in segment) return shellSingleQuote(segment.literal);
      const value = `"$(v ${segment.variable})"`;
      return part.encoding === 'form' ? `"$(urlencode "$(v ${segment.variable})")"` : part.encoding === 'json' ? `"$(jsonescape "$(v ${segment.variable})")"` : value;
    })
    .join('');
}

function curlArgs(template: RequestTemplate): string {
  const args = [`-X ${template.method}`, word(template.url)];
  for (const h of template.headers) args.push(`-H ${shellSingleQuote(`${h.name}: `)}${word(h.value)}`);
  if (template.basicAuth) args.push(`-H "Authorization: $(basic)"`);
  if (template.body) args.push(`--data-raw ${word(template.body)}`);
  return args.join(' ');
}

/** bash + curl + jq (+ openssl for PKCE and assertions, nc for the callback listener). */
export function toShell(recipe: FlowRecipe): string {
  const header = headerLines(recipe, ['bash flow.sh   (needs curl, jq, openssl' + (recipe.authorize ? ' and nc from netcat-openbsd' : '') + ')']);
  const out: string[] = [];
  out.push('#!/usr/bin/env bash', ...header.map((l) => `# ${l}`.trimEnd()), 'set -euo pipefail', '');
  for (const variable of recipe.variables) {
    out.push(`${variable.name}="\${${variable.name}:-${variable.defaultValue ? variable.defaultValue.replace(/[$`"\\]/g, '\\$&') : ''}}"`);
  }
  out.push(`ACCESS_TOKEN=""
REFRESH_TOKEN=""
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "✗ $*" >&2; exit 1; }
# A variable's value; stops the program when one it needs is not set.
v() { local value="\${!1:-}"; [ -n "$value" ] || fail "Set $1 first (see the comment at the top)."; printf '%s' "$value"; }
urlencode() { jq -rn --arg v "$1" '$v|@uri'; }
jsonescape() { jq -rn --arg v "$1" '$v|tojson|.[1:-1]'; }
# Tokens are printed as a length and a hash prefix, never themselves.
fingerprint() { printf '%s chars, sha256 %s' "\${#1}" "$(printf '%s' "$1" | openssl dgst -sha256 -r | cut -c1-12)"; }
# RFC 7617: base64 of "id:secret", as the console sent it.
basic() { printf 'Basic %s' "$(printf '%s:%s' "$(v CLIENT_ID)" "$(v CLIENT_SECRET)" | openssl base64 -A)"; }

# send <curl args…>: prints the request line and the status; the body lands in $WORK/body, headers in $WORK/headers.
send() {
  local method="$2" url="$3"
  echo "→ $method $url"
  STATUS=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "\${@:1}")
  echo "← $STATUS ($(wc -c < "$WORK/body" | tr -d ' ') bytes)"
}
header() { { grep -i "^$1:" "$WORK/headers" || true; } | head -n1 | cut -d: -f2- | tr -d '\\r' | sed 's/^ *//'; }

# Reads a token response (RFC 6749 §5.1) leniently, as the console does: a string expires_in is seconds.
read_token() {
  [[ "$STATUS" =~ ^2 ]] || fail "$1 refused (HTTP $STATUS): $(head -c 300 "$WORK/body")"
  jq -e 'type == "object" and (.access_token | type == "string")' "$WORK/body" >/dev/null || fail "$1: no access_token in the answer."
  ACCESS_TOKEN=$(jq -r '.access_token' "$WORK/body")
  local refresh
  refresh=$(jq -r '.refresh_token // empty' "$WORK/body")
  if [ -n "$refresh" ]; then
    if [ -n "$REFRESH_TOKEN" ] && [ "$REFRESH_TOKEN" != "$refresh" ]; then echo "  the server rotated the refresh token: the new one replaces the old (RFC 9700 §4.14.2)"; fi
    REFRESH_TOKEN="$refresh"
  fi
  echo "  access token: $(fingerprint "$ACCESS_TOKEN"), token_type $(jq -r '.token_type' "$WORK/body")$(jq -r 'if .expires_in == null then "" else ", expires in \\(.expires_in | tonumber) s" + (if (.expires_in | type) == "string" then " (expires_in sent as a string)" else "" end) end' "$WORK/body")"
}
`);
  if (recipe.assertion) {
    const alg = recipe.assertion.alg;
    const size = { ES256: 32, ES384: 48, ES512: 66 }[alg as 'ES256'] ?? 0;
    out.push(`b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
# An ECDSA signature from openssl (DER) as JWS wants it: r and s, left-padded to the curve size (RFC 7518 §3.4).
der_to_raw() {
  openssl asn1parse -inform DER | awk -F: '/INTEGER/ {print $NF}' | while read -r hex; do printf '%0*s' ${size * 2} "$hex" | tr ' ' '0' | tail -c ${size * 2}; done | sed 's/../\\\\x&/g' | xargs -0 printf '%b'
}
# A fresh client assertion for each token request (RFC 7523 §3): new jti, 5-minute exp.
sign_assertion() {
  local now header claims input
  now=$(date +%s)
  header=$(jq -cn ${recipe.assertion.kid ? `--arg kid ${shellSingleQuote(recipe.assertion.kid)} '{alg: "${alg}", typ: "JWT", kid: $kid}'` : `'{alg: "${alg}", typ: "JWT"}'`})
  claims=$(jq -cn --arg id "$(v CLIENT_ID)" --arg aud ${shellSingleQuote(recipe.assertion.audience)} --arg jti "$(openssl rand -hex 16)" --argjson now "$now" '{iss: $id, sub: $id, aud: $aud, jti: $jti, iat: $now, exp: ($now + 300)}')
  input="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
  CLIENT_ASSERTION="$input.$(printf '%s' "$input" | openssl dgst -sha${alg.slice(2)} -sign "$(v PRIVATE_KEY_FILE)"${size ? ' | der_to_raw' : ''} | b64url)"
}
`);
  }
  if (recipe.authorize) {
    out.push(`authorize() {
  STATE=$(openssl rand -base64 24 | tr '+/' '-_' | tr -d '=\\n')
  NONCE=$(openssl rand -base64 24 | tr '+/' '-_' | tr -d '=\\n')
  # RFC 7636 §4.1–4.2: a fresh verifier, sent only to the token endpoint; its S256 challenge goes in the URL.
  CODE_VERIFIER=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\\n')
  CODE_CHALLENGE=$(printf '%s' "$CODE_VERIFIER" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
  local port host path line query
  host=$(v REDIRECT_URI | sed -E 's#^https?://([^:/]+).*#\\1#')
  port=$(v REDIRECT_URI | sed -E 's#^https?://[^:/]+:([0-9]+).*#\\1#')
  path=$(v REDIRECT_URI | sed -E 's#^https?://[^/]+(/[^?]*).*#\\1#')
  printf 'HTTP/1.1 200 OK\\r\\nContent-Type: text/plain; charset=utf-8\\r\\nConnection: close\\r\\n\\r\\nBack in the terminal: you can close this tab.\\n' > "$WORK/answer"
  nc -l "$host" "$port" < "$WORK/answer" > "$WORK/callback" &
  local listener=$!
  echo "Open this URL in a browser and log in:"
  echo ${word(recipe.authorize.url)}
  while ! grep -q $'\\r$' "$WORK/callback" 2>/dev/null; do sleep 0.2; kill -0 "$listener" 2>/dev/null || break; done
  sleep 0.3
  kill "$listener" 2>/dev/null || true
  line=$(head -n1 "$WORK/callback" | tr -d '\\r')
  query=$(printf '%s' "$line" | awk '{print $2}')
  [[ "$query" == "$path"\\?* ]] || fail "The browser came back to another path: $(printf '%s' "$query" | cut -d'?' -f1)"
  param() {
    local raw
    raw=$(printf '%s' "\${query#*\\?}" | tr '&' '\\n' | grep "^$1=" | head -n1 | cut -d= -f2- || true)
    raw=\${raw//+/ }
    printf '%b' "\${raw//%/\\\\x}"
  }
  [ "$(param state)" = "$STATE" ] || fail "The callback's state is not the one sent: refused (RFC 6749 §10.12)."
  [ -z "$(param error)" ] || fail "The authorization server answered $(param error): $(param error_description)"
  CODE=$(param code)
  [ -n "$CODE" ] || fail "The callback carries no code."
  echo "← callback with a code, state checked"
}
`);
  }
  out.push('');
  if (recipe.authorize) out.push('authorize');
  if (recipe.assertion) out.push('sign_assertion');
  out.push(`send ${curlArgs(recipe.token)}`, `read_token "The token request"`);
  if (recipe.firstCall) {
    const headers = recipe.firstCall.headers.map(([n, h]) => `-H ${shellSingleQuote(`${n}: ${h}`)}`);
    out.push(`
send -X ${recipe.firstCall.method} ${shellSingleQuote(recipe.firstCall.url)} ${headers.join(' ')} -H "Authorization: Bearer $ACCESS_TOKEN"
[[ "$STATUS" =~ ^2 ]] || fail "The first call answered $STATUS: $(head -c 300 "$WORK/body")"
echo "  $(jq -r 'if type != "object" then "not a JSON object" else (.resourceType // (keys[:5] | join(", "))) + (if (.entry | type) == "array" then ", \\(.entry | length) entries" else "" end) end' "$WORK/body")"`);
  }
  if (recipe.bulk) {
    const headers = recipe.bulk.headers.map(([n, h]) => `-H ${shellSingleQuote(`${n}: ${h}`)}`);
    out.push(`
# Bulk Data IG 2.0: kick-off (202 + Content-Location), status polls until the manifest, then each file.
send -X GET ${shellSingleQuote(recipe.bulk.kickoffUrl)} ${headers.join(' ')} -H "Authorization: Bearer $ACCESS_TOKEN"
STATUS_URL=$(header content-location)
[ "$STATUS" = 202 ] && [ -n "$STATUS_URL" ] || fail "The kick-off answered $STATUS, not 202 with Content-Location: $(head -c 300 "$WORK/body")"
for _ in $(seq 120); do
  send -X GET "$STATUS_URL" -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Accept: application/json'
  [ "$STATUS" = 200 ] && break
  [ "$STATUS" = 202 ] || [ "$STATUS" = 429 ] || fail "The status request answered $STATUS: $(head -c 300 "$WORK/body")"
  wait=$(header retry-after); [[ "$wait" =~ ^[0-9]+$ ]] || wait=2
  [ "$wait" -ge 1 ] || wait=1; [ "$wait" -le 30 ] || wait=30
  echo "  $(header x-progress || true)\${wait:+; asking again in $wait s}"
  sleep "$wait"
done
[ "$STATUS" = 200 ] || fail "The export did not finish in 120 polls."
cp "$WORK/body" "$WORK/manifest"
echo "  manifest: $(jq '.output | length' "$WORK/manifest") file(s), requiresAccessToken $(jq -r '.requiresAccessToken' "$WORK/manifest")"
while IFS=$'\\t' read -r type url; do
  if [ "$(jq -r '.requiresAccessToken' "$WORK/manifest")" = false ]; then send -X GET "$url" -H 'Accept: application/fhir+ndjson'
  else send -X GET "$url" -H 'Accept: application/fhir+ndjson' -H "Authorization: Bearer $ACCESS_TOKEN"; fi
  [ "$STATUS" = 200 ] || fail "Downloading $url answered $STATUS"
  echo "  $type: $(grep -c . "$WORK/body") resources"
done < <(jq -r '.output[] | [.type, .url] | @tsv' "$WORK/manifest")`);
  }
  if (recipe.refresh) {
    out.push(`
if [ -n "$REFRESH_TOKEN" ]; then${recipe.assertion ? '\n  sign_assertion' : ''}
  send ${curlArgs(recipe.refresh)}
  read_token "The refresh"
else
  echo "No refresh token was issued: nothing to refresh."
fi`);
  }
  out.push('echo "✓ done"', '');
  return out.join('\n');
}
