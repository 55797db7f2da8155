import { handleNextAuthRequest } from '@/lib/auth/next-auth-route';

export const dynamic = 'force-dynamic';

/** Console sign-in (next-auth); see lib/auth. */
export { handleNextAuthRequest as GET, handleNextAuthRequest as POST };
