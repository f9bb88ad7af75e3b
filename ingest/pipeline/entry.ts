/**
 * How the registry holds sources of different option types behind one shape: each entry
 * turns command-line style arguments into its options and can start a run, and gives its
 * parser to replay.
 */
import type { Env } from '../../lib/env';
import type { ParsedPayload, RawPayload, Source } from '../types';
import { type IngestDeps, type RunOptions, type RunSummary, runIngest } from './run';

/** `--name value` arguments after the source name; repeated flags collect into arrays, bare flags are true. */
export type SourceArgs = Record<string, string | string[] | true>;

/** Thrown for arguments a source cannot use; the CLI prints it with the usage and exits 2. */
export class SourceArgumentError extends Error {
  override name = 'SourceArgumentError';
}

export type SourceEntry = {
  /** One line for the CLI usage: the options this source takes. */
  usage: string;
  /** The pure parser of this source's payloads, for replay. */
  parser(env: Env): (payload: RawPayload) => ParsedPayload;
  /**
   * The incremental-sync stream these arguments select: the source's own `scope(options)`.
   * The worker never runs two jobs of one source and scope at once. Throws like `run` for
   * arguments the source cannot use.
   */
  scope(args: SourceArgs, env: Env): string;
  /**
   * Refuses arguments the source cannot run with now (a SourceArgumentError): bad options, and
   * local inputs that are missing. The CLI calls it before the database opens.
   */
  check(args: SourceArgs): void;
  /** Starts a run from arguments (CLI) or job data (worker). */
  run(args: SourceArgs, env: Env, deps: IngestDeps, options?: RunOptions): Promise<RunSummary>;
};

/**
 * Wraps a source and its argument parser as a registry entry.
 * @example export const sources = { file: sourceEntry({ usage, create: () => fileSource, options: fileOptions }) };
 */
export function sourceEntry<O>(spec: {
  usage: string;
  create(env: Env): Source<O>;
  options(args: SourceArgs): O;
  /** Checks the options' local inputs (a file exists); throws a SourceArgumentError. */
  check?(options: O): void;
}): SourceEntry {
  return {
    usage: spec.usage,
    check: (args) => spec.check?.(spec.options(args)),
    parser: (env) => {
      const source = spec.create(env);
      return (payload) => source.parse(payload);
    },
    scope: (args, env) => spec.create(env).scope(spec.options(args)),
    run: (args, env, deps, options) => runIngest(deps, spec.create(env), spec.options(args), options),
  };
}

/**
 * Refuses arguments a source does not take, so a misspelt option (`categoryIds` for
 * `category-ids`) fails with the list of known ones instead of being silently ignored.
 * @example refuseUnknownArgs({ pth: 'a.csv' }, ['path', 'kind']) // throws: unknown option --pth; known: --path, --kind
 */
export function refuseUnknownArgs(args: SourceArgs, known: readonly string[]): void {
  const unknown = Object.keys(args).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const list = (names: readonly string[]) => names.map((name) => `--${name}`).join(', ');
  throw new SourceArgumentError(
    `unknown option${unknown.length > 1 ? 's' : ''} ${list(unknown)}; known: ${list(known)}`,
  );
}

/** A single string argument, or undefined; refuses a repeated or valueless flag. */
export function stringArg(args: SourceArgs, name: string): string | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SourceArgumentError(`--${name} needs one value`);
  return value;
}

/** Every value of a repeatable argument. */
export function listArg(args: SourceArgs, name: string): string[] {
  const value = args[name];
  if (value === undefined) return [];
  if (value === true) throw new SourceArgumentError(`--${name} needs a value`);
  return typeof value === 'string' ? [value] : value;
}
