import 'server-only';
import { HttpError } from '@/lib/http/errors';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { getEnvironment } from './index';
import { resolveEnvironment, type ResolvedEnvironment } from './resolve';
import type { Provider } from './schema';

/** The environment a request names, refused when unknown or when it is a switched-off built-in sandbox. */
export function requireEnvironment(provider: Provider, environmentId: string): ResolvedEnvironment {
  const environment = getEnvironment(provider, environmentId);
  if (!environment) {
    throw new HttpError(404, 'not_found', `${provider.name} has no environment "${environmentId}".`, {
      hint: `Known: ${provider.environments.map((e) => e.id).join(', ')}.`,
    });
  }
  if (environment.kind === 'builtin' && !builtinSandboxesEnabled()) {
    throw new HttpError(400, 'sandbox_disabled', 'The built-in sandboxes are switched off on this console.', {
      hint: 'Pick the real sandbox, or unset BUILTIN_SANDBOXES=off.',
    });
  }
  return resolveEnvironment(provider, environment);
}
