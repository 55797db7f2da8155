'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { ConsoleViewer } from '@/lib/contract/schemas';

type SignedIn = Extract<ConsoleViewer, { signIn: 'on' }>['user'];

/** Who is signed in, and Sign out (which also ends the console session: its tokens and history). */
export function SignedInUserMenu({ user }: { user: SignedIn }) {
  const [signingOut, setSigningOut] = useState(false);
  return (
    <div className="flex items-center gap-2.5 border-l border-zinc-200 pl-3" data-testid="signed-in-user">
      <span aria-hidden="true" className="flex size-7 items-center justify-center rounded-full bg-indigo-50 text-xs font-semibold text-indigo-700 ring-1 ring-indigo-200">
        {initial(user.name)}
      </span>
      <div className="min-w-0 leading-tight" title={`Signed in with ${user.providerName}`}>
        <p className="max-w-48 truncate text-xs font-medium text-zinc-900" data-testid="signed-in-name">
          {user.name}
        </p>
        {user.email && user.email !== user.name && <p className="max-w-48 truncate text-xs text-zinc-600">{user.email}</p>}
      </div>
      <Button
        size="sm"
        variant="secondary"
        pending={signingOut}
        data-testid="sign-out"
        onClick={() => {
          setSigningOut(true);
          // next-auth's client loads on the click: the page does not carry it for a button most loads never press.
          void import('next-auth/react')
            .then(({ signOut }) => signOut({ callbackUrl: '/sign-in?signed-out=1' }))
            .catch(() => setSigningOut(false));
        }}
      >
        Sign out
      </Button>
    </div>
  );
}

function initial(name: string): string {
  return (name.trim()[0] ?? '?').toUpperCase();
}
