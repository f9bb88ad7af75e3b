// Builds the dashboard (next build web) only when its sources changed since the last build:
// a hash of web/ (minus build output), the schema-generated types and the lockfile is kept
// beside the build. Plain Node so `npm start` can call it before anything else runs.
//   node scripts/web-build.mjs          build if needed
//   node scripts/web-build.mjs --force  build anyway
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const web = path.join(root, 'web');
const stampFile = path.join(web, '.next', 'soldgraph-source-hash');
const SKIP = new Set(['.next', 'node_modules', 'next-env.d.ts']);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name) || entry.name.endsWith('.tsbuildinfo')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.isFile()) yield full;
  }
}

/** A hash of everything the production build depends on. */
export function webSourceHash() {
  const hash = createHash('sha256');
  for (const file of [...sourceFiles(web), path.join(root, 'package-lock.json'), path.join(root, 'tsconfig.json')]) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether web/.next holds a production build of the current sources. */
export function webBuildIsCurrent() {
  return (
    existsSync(path.join(web, '.next', 'BUILD_ID')) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === webSourceHash()
  );
}

/** Runs `next build web` unless the build is current; returns whether it built. */
export function buildWeb({ force = false, stdio = 'inherit' } = {}) {
  if (!force && webBuildIsCurrent()) return false;
  const hash = webSourceHash();
  const next = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const result = spawnSync(process.execPath, [next, 'build', web], {
    cwd: root,
    stdio,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`next build failed with exit code ${result.status ?? result.signal}`);
  writeFileSync(stampFile, hash);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const built = buildWeb({ force: process.argv.includes('--force') });
    if (!built) console.log('Dashboard build is current (web/ unchanged); skipping next build.');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
