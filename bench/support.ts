/**
 * What the benchmarks share: starting the gateway (and other scripts) as child processes,
 * ending every child they started, and percentiles.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { programArgs } from '../test/support/programs';

export { childPids, CLOCK_TICKS_PER_SECOND, cpuTicks, treeCpuTicks } from '../test/support/processes';

export const ROOT = path.resolve(__dirname, '..');

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

const started = new Set<ChildProcess>();

/** Spawns a child process that `stopChildren` ends if it still runs. */
export function spawnChild(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, options);
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/**
 * Sends SIGTERM to every child `spawnChild` started that still runs. Synchronous, so it also
 * works in a process 'exit' handler: a failed or interrupted bench leaves nothing running.
 */
export function stopChildren(): void {
  for (const child of started) child.kill('SIGTERM');
}

/** A started server process and the base URL it printed. */
export type Started = { child: ChildProcess; url: string };

/**
 * Runs `node [nodeArgs] --import tsx <script>` from the repository root and waits until its
 * output matches `urlLine`, whose first group is the server's base URL; rejects if it exits first.
 */
export function startScript(
  script: string,
  env: NodeJS.ProcessEnv,
  urlLine: RegExp,
  nodeArgs: string[] = [],
): Promise<Started> {
  return startNode([...nodeArgs, '--import', 'tsx', path.join(ROOT, script)], env, urlLine, script);
}

/** Runs `node <args>` from the repository root until its output matches `urlLine` (see startScript). */
function startNode(args: string[], env: NodeJS.ProcessEnv, urlLine: RegExp, script: string): Promise<Started> {
  const child = spawnChild(process.execPath, args, {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = urlLine.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

/** Starts `npm start`'s compiled gateway in production mode (with `nodeArgs` for node) and waits for its URL. */
export function startGateway(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<Started> {
  return startNode(
    [...nodeArgs, ...programArgs('gateway/main')],
    { ...env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_SIZE: 'default' },
    /GraphQL API:\s+(http:\/\/\S+)\/graphql/,
    'gateway/main',
  );
}

/** The seconds each timed cell lasts: BENCH_SECONDS, 10 by default. */
export function benchSeconds(): number {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (!(seconds > 0))
    throw new Error(`BENCH_SECONDS must be a positive number of seconds, got ${process.env.BENCH_SECONDS}`);
  return seconds;
}

/** round 0: a, b, c; round 1: b, c, a; round 2: c, a, b. */
export const rotate = <T>(items: readonly T[], by: number): T[] => [...items.slice(by), ...items.slice(0, by)];

/**
 * Runs a bench's `main`: whatever ends it (its end, a failure, Ctrl-C, SIGTERM) ends every
 * child process it started; a failure prints its stack and sets exit code 1.
 */
export function runBench(main: () => Promise<void>): void {
  process.on('exit', stopChildren);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(128 + os.constants.signals[signal]));
  }
  main()
    .catch((error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      process.exitCode = 1;
    })
    // The children's pipes would keep this process alive until they end.
    .finally(stopChildren);
}
