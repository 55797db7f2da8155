import { SignedInUserMenu } from '@/components/auth/signed-in-user-menu';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import type { ConsoleViewer } from '@/lib/contract/schemas';
import { ThemeToggle } from './theme-toggle';

export interface ConsoleHeaderProps {
  viewer: ConsoleViewer;
  /** A short hash of the console session id, once there is a session. */
  sessionTag: string | null;
  onForget: () => void;
  forgetting: boolean;
  /** Shown next to the button after a failed forget. */
  forgetError?: string;
}

export function ConsoleHeader({ viewer, sessionTag, onForget, forgetting, forgetError }: ConsoleHeaderProps) {
  return (
    <header className="border-b border-zinc-200 bg-white">
      <div className="mx-auto flex min-h-14 max-w-[1440px] flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-2 sm:px-6">
        <div className="flex min-w-0 flex-1 basis-72 items-center gap-3">
          <Logo />
          <div className="min-w-0">
            <h1 className="text-sm font-semibold tracking-tight text-zinc-900">Health OAuth Console</h1>
            <p className="truncate text-xs text-zinc-600">
              Get a bearer token from a health API sandbox, see exactly what happened, send a first FHIR request.
            </p>
          </div>
        </div>
        <div className="flex min-w-0 flex-wrap items-center justify-end gap-2 sm:gap-3">
          {viewer.signIn === 'off' && (
            <Badge tone="amber" dot wrap data-testid="localhost-only-notice" title="Configure sign-in (CONSOLE_AUTH_…) to serve it on other addresses.">
              No sign-in configured: this console listens on localhost only.
            </Badge>
          )}
          {forgetError && <span className="text-xs text-red-600">{forgetError}</span>}
          {sessionTag && (
            <span className="font-mono text-xs text-zinc-600" title="A short hash of this console session's id" data-testid="session-tag">
              session {sessionTag}
            </span>
          )}
          <ThemeToggle />
          <Button size="sm" variant="danger" onClick={onForget} pending={forgetting} data-testid="forget-session">
            Forget session
          </Button>
          {viewer.signIn === 'on' && <SignedInUserMenu user={viewer.user} />}
        </div>
      </div>
    </header>
  );
}

function Logo() {
  return (
    <span
      aria-hidden="true"
      className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-gradient-to-br from-indigo-500 to-violet-600 shadow-sm"
    >
      <svg viewBox="0 0 16 16" className="size-4 text-white" fill="none">
        <path d="M8 2.5v11M2.5 8h11" stroke="currentColor" strokeWidth="2.25" strokeLinecap="round" />
        <circle cx="8" cy="8" r="6.25" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.25" />
      </svg>
    </span>
  );
}
