// `npm run serve`: the console with its built-in sandboxes on http://localhost:3000, no configuration needed.
// Installs dependencies when missing, builds when the sources changed, then runs the production server.
import { spawn } from 'node:child_process';
import { resolveBindAddress } from '../lib/auth/bind-address.mjs';
import { demoSessionSecret, ensureBuild, ensureDependencies, root } from './ensure.mjs';

// Before installing or building: a refused address should not cost a build first.
const bind = resolveBindAddress(process.env);
if (bind.error) {
  console.error(`\nThe console cannot start: ${bind.error}\n`);
  process.exit(1);
}

ensureDependencies();
ensureBuild();

const port = process.env.PORT ?? '3000';
const env = { ...process.env, NODE_ENV: 'production', PORT: port, SESSION_SECRET: demoSessionSecret(), NEXT_TELEMETRY_DISABLED: '1' };
console.log(`> Health OAuth Console on http://localhost:${port} (built-in sandboxes under /sandbox/…)`);
const server = spawn(process.execPath, ['scripts/server.mjs'], { cwd: root, env: { ...env, HOSTNAME_BIND: bind.hostname }, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
