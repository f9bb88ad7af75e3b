// Copies what the production image runs into one folder, after `npm run build`: the compiled
// server (dist/), the dashboard's build, and the files the code reads at run time (the SDL,
// the migrations, the samples, the dashboard's persisted documents). No TypeScript, no tests,
// no node_modules (the image installs production dependencies itself). The Dockerfile's
// build stage runs it, and a test starts the gateway and the CLIs from its output, so a file
// the image forgets fails here rather than in a deployment.
//   node scripts/stage-runtime.mjs <folder> [--without-dashboard]
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Paths under the root that the runtime needs, folders whole. */
const RUNTIME_PATHS = [
  'package.json',
  'package-lock.json',
  // `npm run ingest` and the other scripts run the bundles through these.
  'scripts/run.mjs',
  'scripts/build.mjs',
  'dist',
  'db/migrations',
  'ingest/samples',
  'ingest/schedules.example.json',
  'web/__generated__/persisted-documents.json',
  // The federated stack: the watchlists subgraph's SDL and migrations, and the supergraph.
  'watchlists/schema.graphql',
  'watchlists/db/migrations',
  'federation/supergraph.graphql',
  // `next start web`: the build, its configuration and the package marker beside it.
  'web/.next',
  'web/next.config.ts',
  'web/package.json',
];

/** Copies the runtime's files from the repository into `target`; throws if one is missing. */
export function stageRuntime(target, { withDashboard = true } = {}) {
  const sdl = readdirSync(path.join(root, 'schema'))
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => `schema/${file}`);
  for (const relative of [...RUNTIME_PATHS, ...sdl]) {
    if (!withDashboard && relative.startsWith('web/') && !relative.startsWith('web/__generated__')) continue;
    const from = path.join(root, relative);
    if (!existsSync(from)) throw new Error(`${relative} is missing: run npm run build first`);
    mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    // Next's build cache is for rebuilding, not for serving.
    cpSync(from, path.join(target, relative), { recursive: true, filter: (file) => !file.includes('/.next/cache') });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [target, ...flags] = process.argv.slice(2);
  if (!target || flags.some((flag) => flag !== '--without-dashboard')) {
    console.error('usage: node scripts/stage-runtime.mjs <folder> [--without-dashboard]');
    process.exit(2);
  }
  try {
    stageRuntime(path.resolve(target), { withDashboard: !flags.includes('--without-dashboard') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
