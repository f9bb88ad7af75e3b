// `npm start` on a fresh clone: install dependencies when the lockfile changed since the
// last install (or there is none yet), compile the server and build the dashboard when their
// sources changed, then run the gateway and the dashboard's production server together. Plain
// Node, no dependencies, because it runs before any are installed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const lockfile = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.soldgraph-lock-hash');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const hash = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
// npm writes node_modules/.package-lock.json at the end of every install: one newer than the
// lockfile means `npm ci` already ran for it (in CI, or by hand), so it need not run again.
const npmRecord = path.join(root, 'node_modules', '.package-lock.json');
const installedByNpm = existsSync(npmRecord) && statSync(npmRecord).mtimeMs >= statSync(lockfile).mtimeMs;
if (installedByNpm) writeFileSync(stamp, hash);
else if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.log('Installing dependencies (npm ci)...');
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
  writeFileSync(stamp, hash);
}

const { buildServer, DIST } = await import('./build.mjs');
const { buildWeb } = await import('./web-build.mjs');
try {
  if (await buildServer()) console.log('Server built.');
  if (buildWeb()) console.log('Dashboard built.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const { gatewayUrlFor, runTogether, webAddress } = await import('./run-together.mjs');

const web = webAddress(process.env);
runTogether([
  // The compiled gateway (scripts/build.mjs), run by node itself: no TypeScript compiled at
  // run time, and no wrapper process between the signal and the gateway's graceful shutdown.
  {
    name: 'gateway',
    command: process.execPath,
    args: ['--enable-source-maps', path.join(DIST, 'gateway', 'main.js')],
  },
  {
    name: 'dashboard',
    command: process.execPath,
    args: [
      path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'),
      'start',
      'web',
      '-H',
      web.host,
      '-p',
      web.port,
    ],
    env: { GATEWAY_URL: gatewayUrlFor(process.env), NEXT_TELEMETRY_DISABLED: '1' },
    // Next's banner repeats what this line says; its warnings and errors still come through.
    filter: (line) => {
      if (/Ready in/.test(line)) return `  Dashboard:    http://${web.host}:${web.port}  (production build of web/)`;
      if (/^\s*(▲ Next\.js|- Local:|- Network:|✓ Starting|✓ Running next\.config)|^\s*$/.test(line)) return null;
      return `[dashboard] ${line}`;
    },
  },
]);
