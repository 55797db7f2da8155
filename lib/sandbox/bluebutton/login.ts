import 'server-only';
import { findAppByClientId } from './apps';
import { consentPath, loginPath } from './authorize';
import type { BlueButtonContext } from './context';
import { readForm } from './form';
import { addMonths, formatDate } from './grant-time';
import { consentPage, errorPage, loginPage, pendingField } from './pages';
import { methodNotAllowed } from './responses';
import type { PendingAuthorization } from './store';
import { findSyntheticUser } from './users';

/** The pending authorization a form names, if it exists and has not expired. */
export async function getLivePending(context: BlueButtonContext, id: string | null): Promise<PendingAuthorization | undefined> {
  const pending = id ? await context.store.getPending(id) : undefined;
  if (!pending || pending.expiresAt <= context.now()) return undefined;
  return pending;
}

/** The page for a login or consent form whose authorization is gone. */
export function sessionExpiredPage(): Response {
  return errorPage('invalid_request', 'This sign-in has expired or was already completed.');
}

/**
 * `POST /mymedicare/login`: the Medicare.gov login. A wrong username or password shows the form again with an
 * error; a synthetic user's right password moves on to the consent page.
 */
export async function handleLogin(context: BlueButtonContext, request: Request): Promise<Response> {
  if (request.method !== 'POST') return methodNotAllowed(['POST']);
  const form = await readForm(request);
  const pending = await getLivePending(context, form.get(pendingField));
  const app = pending ? findAppByClientId(pending.clientId) : undefined;
  if (!pending || !app) return sessionExpiredPage();
  const username = form.get('username') ?? '';
  const user = findSyntheticUser(username, form.get('password') ?? '');
  if (!user) {
    return loginPage({
      app,
      pendingId: pending.id,
      formAction: `${context.mountPath}${loginPath}`,
      error: 'The username or password you entered is not correct. Try again.',
      username,
    });
  }
  pending.user = user;
  await context.store.putPending(pending);
  return consentPage({
    app,
    user,
    pendingId: pending.id,
    formAction: `${context.mountPath}${consentPath}`,
    scopes: pending.scopes,
    accessUntil: formatDate(addMonths(context.now(), context.grantLifetimeMonths)),
  });
}
