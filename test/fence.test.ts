import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue #15: the layout's fence is lint, not a convention. Each rule of eslint.config.mjs is fed a forbidden import
 * (and an allowed one) as if it were a file of the repository, and must flag exactly the forbidden one.
 */

const root = join(__dirname, '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/**
 * The fence and cycle rules ESLint reports for `code` as the file `path` (written there for the run, since the cycle
 * rule reads the import graph from disk, then removed). `path` names a probe file: `{n}` becomes a unique suffix.
 */
async function fenceViolations(path: string, code: string, companions: Record<string, string> = {}): Promise<string[]> {
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const files = Object.entries({ [path]: code, ...companions }).map(([name, text]) => [join(root, name.replace('{n}', suffix)), text.replaceAll('{n}', suffix)] as const);
  try {
    for (const [file, text] of files) writeFileSync(file, text);
    const [probe] = files;
    const [result] = await eslint.lintText(probe![1], { filePath: probe![0] });
    return (result?.messages ?? []).map((message) => message.ruleId ?? message.message).filter((rule) => rule.startsWith('import/no-') || rule === 'no-restricted-imports');
  } finally {
    for (const [file] of files) rmSync(file, { force: true });
  }
}

describe('the server/browser fence is enforced by lint', () => {
  it('browser code may not import a server module, only the contract, the client package and the isomorphic helpers', async () => {
    expect(await fenceViolations('components/fence-probe-{n}.tsx', "import { bcda } from '@/lib/providers/bcda';\nexport const probe = bcda;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('lib/client/fence-probe-{n}.ts', "import { getVault } from '@/lib/session';\nexport const probe = getVault;\n")).toEqual(['import/no-restricted-paths']);
    expect(
      await fenceViolations(
        'components/fence-probe-{n}.tsx',
        "import { providerDtoSchema } from '@/lib/contract/schemas';\nimport { fetchProviders } from '@/lib/client/fetchers';\nimport { checkConfiguration } from '@/lib/smart/config-checks';\nexport const probe = [providerDtoSchema, fetchProviders, checkConfiguration];\n",
      ),
    ).toEqual([]);
  });

  it('the contract imports nothing but zod and itself', async () => {
    expect(await fenceViolations('lib/contract/fence-probe-{n}.ts', "import { checkHost } from '@/lib/http/origin';\nexport const probe = checkHost;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('lib/contract/fence-probe-{n}.ts', "import { fetchProviders } from '@/lib/client/fetchers';\nexport const probe = fetchProviders;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('lib/contract/fence-probe-{n}.ts', "import { z } from 'zod';\nimport { simulateHeader } from './simulated-failures';\nexport const probe = [z, simulateHeader];\n")).toEqual([]);
  });

  it('production code never imports a sandbox; the sandbox mount does', async () => {
    expect(await fenceViolations('lib/providers/fence-probe-{n}.ts', "import { getSandboxHandler } from '@/lib/sandbox';\nexport const probe = getSandboxHandler;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('app/api/fence-probe-{n}.ts', "import { getBcdaSandbox } from '@/lib/sandbox/bcda';\nexport const probe = getBcdaSandbox;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('app/sandbox/fence-probe-{n}.ts', "import { getSandboxHandler } from '@/lib/sandbox';\nexport const probe = getSandboxHandler;\n")).toEqual([]);
  });

  it('a sandbox imports only the contract, the provider files and other sandbox code', async () => {
    expect(await fenceViolations('lib/sandbox/bcda/fence-probe-{n}.ts', "import { addressedOrigin } from '@/lib/http/origin';\nexport const probe = addressedOrigin;\n")).toEqual(['import/no-restricted-paths']);
    expect(await fenceViolations('lib/sandbox/smart/fence-probe-{n}.ts', "import { mintClientAssertion } from '@/lib/smart/client-assertion';\nexport const probe = mintClientAssertion;\n")).toEqual(['import/no-restricted-paths']);
    expect(
      await fenceViolations(
        'lib/sandbox/bcda/fence-probe-{n}.ts',
        "import { acceptsGzip } from '@/lib/contract/headers';\nimport { bcda } from '@/lib/providers/bcda';\nimport { getBaseUrl } from './context';\nexport const probe = [acceptsGzip, bcda, getBaseUrl];\n",
      ),
    ).toEqual([]);
  });

  it('only the token owner asks the BFF for tokens', async () => {
    const asksForToken = "import { postToken } from '@/lib/client/fetchers';\nexport const probe = postToken;\n";
    expect(await fenceViolations('components/jwt/fence-probe-{n}.tsx', asksForToken)).toEqual(['no-restricted-imports']);
    expect(await fenceViolations('lib/client/fence-probe-{n}.ts', "import { postRefresh } from './fetchers';\nexport const probe = postRefresh;\n")).toEqual(['no-restricted-imports']);
    expect(await fenceViolations('components/jwt/fence-probe-{n}.tsx', "import { fetchSession } from '@/lib/client/fetchers';\nexport const probe = fetchSession;\n")).toEqual([]);
    // The owner itself (linted as it stands on disk, with the probe's import added).
    const ownerSource = readFileSync(join(root, 'lib/client/token-owner.ts'), 'utf8');
    const probe = "import { postToken as probeToken } from '@/lib/client/fetchers';\nexport const probe = probeToken;\n";
    const [owner] = await eslint.lintText(`${probe}${ownerSource}`, { filePath: join(root, 'lib/client/token-owner.ts') });
    expect(owner?.fatalErrorCount).toBe(0);
    expect((owner?.messages ?? []).map((message) => message.ruleId)).not.toContain('no-restricted-imports');
  });

  it('an import cycle fails lint', async () => {
    const a = "import { b } from './fence-cycle-b-{n}';\nexport const a = () => b;\n";
    const b = "import { a } from './fence-cycle-a-{n}';\nexport const b = () => a;\n";
    expect(await fenceViolations('lib/http/fence-cycle-a-{n}.ts', a, { 'lib/http/fence-cycle-b-{n}.ts': b })).toEqual(['import/no-cycle']);
    expect(await fenceViolations('lib/http/fence-cycle-a-{n}.ts', "export const a = 1;\n", { 'lib/http/fence-cycle-b-{n}.ts': b })).toEqual([]);
  });
}, 120_000);
