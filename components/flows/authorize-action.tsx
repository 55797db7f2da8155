import { Button } from '@/components/ui/button';
import type { ProviderDto } from '@/lib/contract/schemas';
import { SandboxUsers } from './sandbox-users';
import { TOKEN_ACTION_ID } from './token-form-ids';

type SandboxUser = ProviderDto['presets'][number]['sandboxUsers'][number];

export interface AuthorizeActionProps {
  providerName: string;
  /** True from the click until the browser has left for the provider. */
  pending: boolean;
  /** The POST to the BFF is done and the browser is on its way. */
  redirecting: boolean;
  /** Shown for the built-in sandbox only: real providers have real users. */
  sandboxUsers: readonly SandboxUser[];
}

/** "Authorize with …" (it submits the surrounding form), then the logins the sandbox's sign-in page takes. */
export function AuthorizeAction({ providerName, pending, redirecting, sandboxUsers }: AuthorizeActionProps) {
  return (
    <div className="flex flex-col items-stretch gap-2">
      <Button
        id={TOKEN_ACTION_ID}
        type="submit"
        variant="primary"
        pending={pending}
        data-testid="authorize"
        className="h-auto min-h-9 py-2 text-center whitespace-normal"
      >
        {redirecting ? `Opening ${providerName}…` : pending ? 'Starting…' : `Authorize with ${providerName}`}
      </Button>
      <p className="text-center text-xs leading-4 text-zinc-600" aria-live="polite">
        {redirecting
          ? 'Leaving for the sign-in page. You come back here with a token.'
          : 'Sign in and consent there; you come back here with a token.'}
      </p>
      <SandboxUsers users={sandboxUsers} />
    </div>
  );
}
