/**
 * `npm run bench:startup`: how long each program takes from `node` to its answer, compiled
 * (dist/, what the npm scripts and the image run) against the TypeScript compiled at run time
 * (`node --import tsx`, how they ran before `npm run build`), in the same run. Each program
 * answers `--help`, or for those without help a bad argument, which exits before any database
 * opens: this is start-up cost alone. Runs alternate between the two, 7 each, and report
 * medians and the ratio. Needs no database.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { programArgs } from '../test/support/programs';
import { percentile, ROOT } from './support';

const RUNS = 7;

/** A program, its TypeScript entry and arguments that answer without opening a database. */
const PROGRAMS = [
  { name: 'ingest/cli', source: 'ingest/cli.ts', args: ['--help'] },
  { name: 'ingest/cli', source: 'ingest/cli.ts', args: ['file', '--help'] },
  { name: 'gateway/keys-cli', source: 'gateway/keys-cli.ts', args: ['--help'] },
  { name: 'db/cli/seed', source: 'db/cli/seed.ts', args: ['--size', 'nonsense'] },
  { name: 'db/cli/mart', source: 'db/cli/mart.ts', args: [] },
] as const;

/** Milliseconds from spawn to exit of `node <args>`. */
function timed(args: string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.error) throw result.error;
  return ms;
}

function main() {
  // The first compiled run builds dist/ when the sources changed; that is not start-up.
  timed(programArgs('ingest/cli', ['--help']));
  console.log('| program | compiled ms (median) | tsx ms (median) | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const program of PROGRAMS) {
    const compiled: number[] = [];
    const tsx: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      compiled.push(timed(programArgs(program.name, program.args)));
      tsx.push(timed(['--import', 'tsx', path.join(ROOT, program.source), ...program.args]));
    }
    const c = percentile(compiled, 50);
    const t = percentile(tsx, 50);
    const label = `${program.name} ${program.args.join(' ')}`.trim();
    console.log(`| ${label} | ${c.toFixed(0)} | ${t.toFixed(0)} | ${(c / t).toFixed(2)}x |`);
  }
}

main();
