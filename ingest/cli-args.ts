/**
 * The ingest CLI's arguments and usage: light enough to load before anything else, so
 * `npm run ingest -- --help` and bad arguments are answered without loading the sources or
 * the database drivers (./cli-run.ts).
 */
import { projectPath } from '../lib/paths';
import type { SourceArgs } from './pipeline/entry';
import type { ReplaySelection } from './pipeline/replay';
import { SOURCE_USAGE } from './sources/usage';

export const SAMPLES_DIR = projectPath('ingest', 'samples');

/** The bundled samples in load order: listings first, so the sales find their listings. */
export const SAMPLE_FILES = ['listings.csv', 'sales.csv', 'sales.jsonl'] as const;

/** The whole usage: every command, with every source's options. */
export function usage(): string {
  return [
    'usage: npm run ingest -- <command> [options]',
    '  <source> [options]               run a source; sources:',
    ...Object.values(SOURCE_USAGE).map((line) => `      ${line}`),
    '  samples                          ingest the bundled sample files (ingest/samples)',
    '  replay --run <id>                rebuild core from the raw payloads of run <id>',
    '  replay --from <iso> --to <iso>   rebuild core from raw payloads received in [from, to)',
    '  runs [--limit 20]                recent runs with status and counts',
    'options for every run: --progress (one line per payload, also when not a terminal)',
  ].join('\n');
}

/** Thrown for bad command-line arguments: the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `--name value`, `--name=value`, bare `--flag`; repeated names collect into arrays. */
export function parseArgs(args: readonly string[]): SourceArgs {
  const parsed: SourceArgs = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--') || arg === '--') throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | true;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) value = true;
      else {
        value = next;
        i += 1;
      }
    }
    const existing = parsed[name];
    if (existing === undefined) parsed[name] = value;
    else if (value === true || existing === true) throw new UsageError(`--${name} given twice`);
    else parsed[name] = [...(typeof existing === 'string' ? [existing] : existing), value];
  }
  return parsed;
}

function isoArg(args: SourceArgs, name: string): Date {
  const value = args[name];
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    throw new UsageError(`--${name} needs an ISO-8601 time such as 2026-05-01T00:00:00Z`);
  return date;
}

export function replaySelection(args: SourceArgs): ReplaySelection {
  const run = args.run;
  if (run !== undefined) {
    if (typeof run !== 'string' || !/^[1-9]\d*$/.test(run)) throw new UsageError('--run needs a run id such as 12');
    return { runId: Number(run) };
  }
  if (args.from === undefined && args.to === undefined)
    throw new UsageError('replay needs --run <id> or --from <iso> --to <iso>');
  const from = isoArg(args, 'from');
  const to = isoArg(args, 'to');
  if (from >= to) throw new UsageError('--from must be before --to');
  return { from, to };
}
