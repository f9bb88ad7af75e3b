/**
 * What the benchmarks share: starting the gateway (and other scripts) as child processes,
 * ending every child they started, and percentiles.
 */
import { type ChildProcess, execFileSync, spawn, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { programArgs } from '../test/support/programs';

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

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** The fields of /proc/<pid>/stat from field 3 on (the command name before may hold spaces). */
function statFields(pid: number): number[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
}

/** CPU time of a process in clock ticks, its own and that of its waited-for children (/proc, Linux). */
export function cpuTicks(pid: number): { own: number; children: number } {
  const fields = statFields(pid);
  const field = (n: number) => fields[n - 3] ?? NaN;
  return { own: field(14) + field(15), children: field(16) + field(17) };
}

/** The pids of the live processes whose parent is `pid` (/proc, Linux). */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return statFields(Number(entry))[1] === pid; // field 4: the parent's pid
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/** CPU ticks of a process and of its live children: a cluster primary and its workers. */
export function treeCpuTicks(pid: number): number {
  return [pid, ...childPids(pid)].reduce((sum, each) => sum + cpuTicks(each).own, 0);
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
