// Runs a compiled program: `node scripts/run.mjs ingest/cli [args...]` runs dist/ingest/cli.js
// with those arguments, as node would run it directly. Every npm script users run goes through
// here, so it rebuilds dist/ first when the TypeScript changed (a hash check of ~10 ms; a
// rebuild takes a second or two) and never runs stale code. See scripts/build.mjs.
import Module from 'node:module';
import path from 'node:path';
import { buildServer, DIST, ENTRY_POINTS, serverBuildIsCurrent } from './build.mjs';

const [name, ...args] = process.argv.slice(2);
if (!name || !(name in ENTRY_POINTS)) {
  console.error(`usage: node scripts/run.mjs <${Object.keys(ENTRY_POINTS).join('|')}> [arguments]`);
  process.exit(2);
}
if (!serverBuildIsCurrent()) {
  process.stderr.write('Compiling the server (sources changed since the last build)...\n');
  try {
    await buildServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

// Stack traces point at the TypeScript, through the bundles' source maps.
process.setSourceMapsEnabled(true);
// Run the bundle as the main module (what `node dist/<name>.js` does), so its
// `require.main === module` checks hold and process.argv is what it expects.
process.argv = [process.argv[0] ?? process.execPath, path.join(DIST, `${name}.js`), ...args];
Module.runMain();
