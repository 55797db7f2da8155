import { simulationsRequestSchema, type SimulationsDto } from '@/lib/contract/schemas';
import { defineProviderRoute } from '@/lib/http/provider-route';
import { HttpError } from '@/lib/http/errors';
import { builtinSandboxesEnabled } from '@/lib/providers/builtin-sandboxes';
import { failuresFor, sandboxFeaturesOf } from '@/lib/contract/simulated-failures';

export const dynamic = 'force-dynamic';

/**
 * Switches simulated failures on (or off, with an empty list) for the provider's built-in sandbox, in this session
 * only. The BFF then names them in `X-Console-Simulate` on every call to that sandbox; real providers never see it.
 */
export const PUT = defineProviderRoute({ body: simulationsRequestSchema, session: 'create' }, async ({ body, session, vault, provider }): Promise<SimulationsDto> => {
  if (!builtinSandboxesEnabled()) {
    throw new HttpError(400, 'sandbox_disabled', 'Failures can only be simulated on the built-in sandboxes, and they are switched off on this console.', {
      hint: 'Unset BUILTIN_SANDBOXES=off to use them.',
    });
  }
  const sandbox = provider.environments.find((env) => env.kind === 'builtin');
  if (!sandbox) {
    throw new HttpError(400, 'bad_request', `${provider.name} has no built-in sandbox, so its failures cannot be simulated.`);
  }
  const offered = failuresFor(sandboxFeaturesOf(sandbox));
  const unsupported = body.failures.filter((failure) => !offered.includes(failure));
  if (unsupported.length > 0) {
    throw new HttpError(400, 'bad_request', `${provider.name}'s built-in sandbox cannot simulate ${unsupported.join(', ')}: it offers neither DPoP nor pushed authorization requests where those need them.`, {
      hint: 'DPoP and PAR failures are simulated by the SMART reference server.',
    });
  }
  const failures = await vault.setSimulations(session.sid, provider.id, body.failures);
  return { providerId: provider.id, failures };
});
