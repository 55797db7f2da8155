import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const tests = ['**/*.test.ts', '**/*.test.tsx', '**/test-helpers.ts'];

/**
 * Modules the browser may import besides lib/contract and lib/client: pure and isomorphic, they see no secret, token,
 * environment variable or vault (the SMART form runs the same configuration checks as the server).
 */
const isomorphic = ['./smart/config-checks.ts', './smart/url-policy.ts', './smart/credential-binding.ts'];

/**
 * The fence (STYLE.md "Layout"): the contract imports neither side; the browser reaches the server only through the
 * contract; a sandbox imports only the contract and provider files; production code never imports a sandbox.
 * `npm test` runs lint, and test/fence.test.ts proves each zone fires.
 */
export const fenceZones = [
  {
    target: './lib/contract',
    from: './',
    except: ['./lib/contract', './node_modules'],
    message: 'lib/contract is zod only and isomorphic: it imports nothing of the server or the browser.',
  },
  {
    target: ['./components', './lib/client', './app/providers.tsx'],
    from: './lib',
    except: ['./contract', './client', ...isomorphic],
    message: 'Browser code reaches the server only through lib/contract (DTOs) and lib/client (fetchers, hooks).',
  },
  {
    target: './lib/sandbox',
    from: './',
    except: ['./lib/sandbox', './lib/contract', './lib/providers', './node_modules'],
    message:
      'A built-in sandbox depends only on lib/contract and the provider files; what it must know of the console comes ' +
      'from its mount (lib/sandbox/host.ts), so an emulator never shares code with the client it tests.',
  },
  {
    target: ['./lib', './app', './proxy.ts', './instrumentation.ts'],
    from: './lib/sandbox',
    except: [],
    message: 'Production code never imports a built-in sandbox; it reaches one over HTTP like any provider.',
  },
];

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ['.next/**', '.next-profile/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    ignores: tests,
    rules: {
      'import/no-restricted-paths': ['error', { zones: fenceZones }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // One owner of token state in the browser (lib/client/token-owner.ts): only it asks the BFF for tokens.
    files: ['components/**', 'lib/client/**', 'app/**'],
    ignores: [...tests, 'lib/client/token-owner.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@/lib/client/fetchers', './fetchers'].map((name) => ({
            name,
            importNames: ['postToken', 'postRefresh'],
            message: 'Token requests belong to the token owner (lib/client/token-owner.ts): use useTokenOwnerContext().',
          })),
        },
      ],
    },
  },
  {
    // The sandbox mount and the sandboxes themselves are where a sandbox is imported.
    files: ['lib/sandbox/**', 'app/sandbox/**'],
    ignores: tests,
    rules: { 'import/no-restricted-paths': ['error', { zones: fenceZones.filter((zone) => zone.from !== './lib/sandbox') }] },
  },
];

export default config;
