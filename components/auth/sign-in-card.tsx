'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

export interface SignInCardProps {
  providers: { id: string; name: string }[];
  /** A failed sign-in, in words. */
  error: string | null;
  signedOut: boolean;
}

/** The console's sign-in page: one button per configured identity provider. */
export function SignInCard({ providers, error, signedOut }: SignInCardProps) {
  const [pending, setPending] = useState<string | null>(null);
  return (
    <main className="flex min-h-screen items-center justify-center bg-zinc-50 px-4">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-8 shadow-sm">
        <div className="flex flex-col items-center text-center">
          <span
            aria-hidden="true"
            className="flex size-10 items-center justify-center rounded-xl bg-gradient-to-br from-indigo-500 to-violet-600 shadow-sm"
          >
            <svg viewBox="0 0 16 16" className="size-5 text-white" fill="none">
              <path d="M8 2.5v11M2.5 8h11" stroke="currentColor" strokeWidth="2.25" strokeLinecap="round" />
              <circle cx="8" cy="8" r="6.25" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.25" />
            </svg>
          </span>
          <h1 className="mt-4 text-base font-semibold tracking-tight text-zinc-900">Sign in to Health OAuth Console</h1>
          <p className="mt-1 text-sm text-zinc-600">Your sessions, tokens and history are yours alone.</p>
        </div>
        {signedOut && !error && (
          <p role="status" className="mt-6 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200 ring-inset">
            You signed out. Your console session, its tokens and history are gone.
          </p>
        )}
        {error && (
          <p role="alert" className="mt-6 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-red-200 ring-inset">
            {error}
          </p>
        )}
        <div className="mt-6 flex flex-col gap-2">
          {providers.map((provider) => (
            <Button
              key={provider.id}
              variant="primary"
              className="w-full"
              pending={pending === provider.id}
              disabled={pending !== null}
              data-testid={`sign-in-${provider.id}`}
              onClick={() => {
                setPending(provider.id);
                void signIn(provider.id, { callbackUrl: '/' }).catch(() => setPending(null));
              }}
            >
              Sign in with {provider.name}
            </Button>
          ))}
        </div>
      </div>
    </main>
  );
}
