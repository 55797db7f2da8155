import type { ProviderDto } from '@/lib/contract/schemas';

type SandboxUser = ProviderDto['presets'][number]['sandboxUsers'][number];

/** Public synthetic logins the built-in sandbox's sign-in page accepts (Blue Button's BBUser00000 / PW00000!). */
export function SandboxUsers({ users }: { users: readonly SandboxUser[] }) {
  if (users.length === 0) return null;
  return (
    <div data-testid="sandbox-users" className="rounded-lg border border-emerald-200 bg-emerald-50/60 px-3 py-2 text-xs">
      <p className="font-medium text-emerald-900">Sandbox sign-in</p>
      <p className="mt-0.5 text-xs leading-4 text-emerald-800">Synthetic users; their logins are public.</p>
      <ul className="mt-1.5 space-y-1.5">
        {users.map((user) => (
          <li key={user.username}>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-2 text-zinc-700">
              <dt>User</dt>
              <dd className="font-mono font-medium wrap-anywhere text-zinc-900">{user.username}</dd>
              <dt>Password</dt>
              <dd className="font-mono font-medium wrap-anywhere text-zinc-900">{user.password}</dd>
            </dl>
            {user.note && <p className="text-xs leading-4 text-emerald-800">{user.note}</p>}
          </li>
        ))}
      </ul>
    </div>
  );
}
