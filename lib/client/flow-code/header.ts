import type { FlowRecipe } from './recipe';

/**
 * The program's opening comment, the same in every language: what it does, which variables it reads (secrets only
 * from the environment, never written in the file), and how to run it.
 */
export function headerLines(recipe: FlowRecipe, run: string[]): string[] {
  const lines = [
    `${recipe.providerName}, ${recipe.environmentLabel}: the flow the Health OAuth console ran, as a program.`,
    '',
    recipe.grantType === 'authorization_code'
      ? `Authorization code${recipe.authorize?.pkce ? ' with PKCE S256 (RFC 7636)' : ''}: opens a listener on the redirect URI, prints the login URL, waits for the callback and checks its state (RFC 6749 §4.1).`
      : 'Client credentials (RFC 6749 §4.4).',
    `Token request: ${recipe.clientAuthentication}.`,
  ];
  if (recipe.assertion) lines.push(`Client assertion: signed here with ${recipe.assertion.alg}${recipe.assertion.kid ? `, kid ${recipe.assertion.kid}` : ''}, aud ${recipe.assertion.audience} (RFC 7523 §3).`);
  if (recipe.firstCall) lines.push(`Then: ${recipe.firstCall.method} ${recipe.firstCall.url}`);
  if (recipe.bulk) lines.push(`Then a bulk export (Bulk Data IG 2.0): kick-off ${recipe.bulk.kickoffUrl}, status polls honouring Retry-After, each file downloaded.`);
  if (recipe.refresh) lines.push('Then a refresh (RFC 6749 §6), keeping the new refresh token when the server rotates it.');
  for (const quirk of recipe.quirks) lines.push(`Provider quirk handled: ${quirk}`);
  lines.push('', 'Set these environment variables first (secrets are never written in this file):');
  for (const variable of recipe.variables) {
    const fallback = variable.defaultValue ? ` [default: ${variable.defaultValue}]` : variable.required ? ' (required)' : '';
    lines.push(`  ${variable.name}: ${variable.description}${fallback}`);
  }
  if (recipe.grantType === 'authorization_code') {
    lines.push('', 'Register REDIRECT_URI as a redirect URI of your app at the provider (the built-in sandboxes’ demo apps have the default).');
  }
  lines.push('', 'Run:', ...run.map((r) => `  ${r}`), '', 'It prints what it sends and what comes back, never a secret or a token (tokens as a length and a SHA-256 prefix).');
  return lines.flatMap((line) => wrap(line, 100));
}

/** Word-wraps a comment line, continuing with the line's own indent plus two spaces; a long URL stays whole. */
function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^ */.exec(line)?.[0] ?? '';
  const out: string[] = [];
  let current = '';
  for (const word of line.trimStart().split(' ')) {
    const candidate = current === '' ? `${out.length === 0 ? indent : `${indent}  `}${word}` : `${current} ${word}`;
    if (candidate.length > width && current !== '') {
      out.push(current);
      current = `${indent}  ${word}`;
    } else current = candidate;
  }
  if (current !== '') out.push(current);
  return out;
}
