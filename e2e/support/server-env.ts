import { join } from 'node:path';

/** The e2e server's session password: a secret the log scan searches for too. */
export const E2E_SESSION_SECRET = 'e2e-session-secret-of-at-least-32-characters!';

/** Where the e2e run keeps the server's output and the issued-secrets list: test-results/, never committed. */
export const E2E_LOG_DIR = join(__dirname, '..', '..', 'test-results');
