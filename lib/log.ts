import 'server-only';
import pino from 'pino';

/**
 * Structured JSON logs. Values under these keys are replaced wholesale; secrets are also kept out by
 * construction (exchanges are redacted before anything logs them).
 */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { app: 'health-oauth-console' },
  redact: {
    paths: [
      '*.authorization',
      '*.Authorization',
      '*.cookie',
      '*.access_token',
      '*.refresh_token',
      '*.id_token',
      '*.client_secret',
      '*.clientSecret',
      '*.accessToken',
      '*.password',
    ],
    censor: '[redacted]',
  },
});
