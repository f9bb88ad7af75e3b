// Compiles the server side (the gateway, the CLIs and the worker) to JavaScript in dist/: one
// CommonJS bundle per entry point, our own code inlined, packages left to node_modules. A
// bundle loads as one file, so a CLI starts in a fraction of what compiling TypeScript at run
// time (tsx) costs. Like web-build.mjs it builds only when the sources changed: a hash of
// them is kept in dist/. Plain Node plus esbuild, so `npm start` can call it.
//   node scripts/build.mjs           build if needed
//   node scripts/build.mjs --force   build anyway
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const DIST = path.join(root, 'dist');
const stampFile = path.join(DIST, '.source-hash');
const lockFile = path.join(root, '.build.lock');

/** What the bundles are made of: every server folder, minus tests, plus what configures the build. */
const SOURCE_DIRS = ['gateway', 'resolvers', 'ingest', 'data', 'db', 'lib', 'schema', 'watchlists', 'federation'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

/** The programs users run, by the name `scripts/run.mjs` takes: each becomes dist/<name>.js. */
export const ENTRY_POINTS = {
  'gateway/main': 'gateway/main.ts',
  'gateway/keys-cli': 'gateway/keys-cli.ts',
  'ingest/cli': 'ingest/cli.ts',
  'ingest/worker': 'ingest/worker.ts',
  'db/cli/migrate': 'db/cli/migrate.ts',
  'db/cli/seed': 'db/cli/seed.ts',
  'db/cli/mart': 'db/cli/mart.ts',
  'db/cli/partitions': 'db/cli/partitions.ts',
  'db/cli/taxonomy': 'db/cli/taxonomy.ts',
  'db/cli/links': 'db/cli/links.ts',
  'watchlists/main': 'watchlists/main.ts',
  'federation/main': 'federation/main.ts',
};

function* sourceFiles(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === '__tests__') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.isFile() && entry.name.endsWith('.ts')) yield full;
  }
}

/**
 * A hash of the TypeScript the bundles are built from, or null where there is none (a
 * runtime image ships dist/ without sources, and its bundles are current by construction).
 */
export function serverSourceHash() {
  const files = SOURCE_DIRS.flatMap((dir) => [...sourceFiles(path.join(root, dir))]);
  if (files.length === 0) return null;
  const hash = createHash('sha256');
  for (const file of [...files, ...SOURCE_FILES.map((name) => path.join(root, name))]) {
    if (!existsSync(file)) continue;
    hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ holds bundles of the current sources. */
export function serverBuildIsCurrent(hash = serverSourceHash()) {
  return hash === null || (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash);
}

/** Resolves after `ms`, without blocking the event loop. */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A build takes seconds: a lock this old was left by a process that is gone, or whose pid was reused. */
const LOCK_STALE_MS = 5 * 60_000;

/** Whether the process that wrote the lock still runs (signal 0 tests, it sends nothing). */
function lockHolderAlive() {
  if (Date.now() - statSync(lockFile).mtimeMs > LOCK_STALE_MS) return false;
  const pid = Number(readFileSync(lockFile, 'utf8'));
  // Created but not yet filled in: its holder is between the two calls.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Runs `work` holding .build.lock: test workers and CLIs started together must not write
 * dist/ at once. A lock left by a process that died is taken over.
 */
async function withBuildLock(work) {
  for (;;) {
    try {
      closeSync(openSync(lockFile, 'wx'));
      writeFileSync(lockFile, String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let alive = true;
      try {
        alive = lockHolderAlive();
      } catch {
        // Removed by its holder in the meantime: try again.
      }
      if (!alive) rmSync(lockFile, { force: true });
      else await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

/** Bundles every entry point into dist/ unless the bundles are current; returns whether it built. */
export async function buildServer({ force = false } = {}) {
  if (!force && serverBuildIsCurrent()) return false;
  return withBuildLock(async () => {
    // Another process may have built while this one waited for the lock.
    const hash = serverSourceHash();
    if (!force && serverBuildIsCurrent(hash)) return false;
    const { build } = await import('esbuild');
    // Built aside and moved into place whole: a program starting meanwhile never loads half a bundle.
    const next = `${DIST}.building-${process.pid}`;
    rmSync(next, { recursive: true, force: true });
    await build({
      entryPoints: Object.fromEntries(
        Object.entries(ENTRY_POINTS).map(([name, source]) => [name, path.join(root, source)]),
      ),
      outdir: next,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      sourcemap: true,
      // Stack traces name our own files and lines (node --enable-source-maps, set by run.mjs).
      sourcesContent: false,
      logLevel: 'warning',
    });
    if (hash) writeFileSync(path.join(next, '.source-hash'), hash);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(next, DIST);
    return true;
  });
}

// No top-level await: jest's globalSetup loads this module with require().
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildServer({ force: process.argv.includes('--force') }).then(
    (built) =>
      console.log(built ? 'Server built into dist/.' : 'Server build is current (sources unchanged); skipping.'),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
