import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'soldgraph-cli-help-'));
const tracer = path.join(dir, 'trace-packages.cjs');

// Preloaded into a CLI: records every package (a bare specifier, not node: or a path) the
// program loads, and writes the list to stderr as it exits.
writeFileSync(
  tracer,
  `const Module = require('node:module');
const load = Module._load;
const loaded = new Set();
Module._load = function (request, ...rest) {
  if (!/^(node:|\\.|\\/)/.test(request) && !Module.isBuiltin(request)) loaded.add(request);
  return load.call(this, request, ...rest);
};
process.on('exit', () => process.stderr.write('packages loaded: ' + JSON.stringify([...loaded]) + '\\n'));
`,
);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The command-line programs: every compiled program except the three servers. */
const CLIS = [
  ['ingest/cli', []],
  ['ingest/cli', ['keepa', '--help']],
  ['ingest/worker', []],
  ['gateway/keys-cli', []],
  ['db/cli/migrate', []],
  ['db/cli/seed', []],
  ['db/cli/mart', []],
  ['db/cli/partitions', []],
  ['db/cli/taxonomy', []],
  ['db/cli/links', []],
] as const;

/** Runs a compiled CLI with the tracer preloaded, as its npm script would (no database configured). */
const run = (program: string, args: readonly string[]) =>
  spawnSync(process.execPath, ['--require', tracer, path.join(root, 'dist', `${program}.js`), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
    encoding: 'utf8',
  });

describe('the CLIs (compiled, as npm scripts run them) answer before loading any package', () => {
  it.each(CLIS)('%s %j: --help prints the usage', (program, args) => {
    const help = run(program, args.length ? args : ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run /);
    // Drivers, Drizzle, zod and the sources are what made --help take half a second.
    expect(help.stderr.trim()).toBe('packages loaded: []');
  });

  it.each([
    ['ingest/cli', ['no-such-source']],
    ['ingest/worker', ['stray']],
    ['db/cli/migrate', ['stray']],
    ['db/cli/seed', ['--size', 'nonsense']],
    ['db/cli/mart', ['refresh', '2026-1-1']],
    ['db/cli/partitions', ['--archive-before', '2024-13']],
    ['db/cli/taxonomy', ['map', 'ebay-us:9355']],
    ['db/cli/links', ['same', '7']],
    ['gateway/keys-cli', ['create']],
  ])('%s %j: a bad argument exits 2 with the usage', (program, args) => {
    const refused = run(program, args);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('usage: npm run ');
    expect(refused.stderr.trim().split('\n').at(-1)).toBe('packages loaded: []');
  });
});
