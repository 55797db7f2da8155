// The e2e webServer (playwright.config.ts): `scripts/serve.mjs` unchanged, with everything it writes to stdout and
// stderr also copied to E2E_SERVER_LOG, so the log scan at the end of the run (e2e/global-teardown.ts) can prove
// that no secret or token reached the server's output.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const logFile = process.env.E2E_SERVER_LOG;
if (!logFile) throw new Error('E2E_SERVER_LOG must name the file that receives the server output.');
mkdirSync(dirname(logFile), { recursive: true });
const log = createWriteStream(logFile, { flags: 'a' });

const server = spawn(process.execPath, ['scripts/serve.mjs'], { stdio: ['inherit', 'pipe', 'pipe'] });
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
server.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  log.write(chunk);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => log.end(() => process.exit(code ?? 0)));
