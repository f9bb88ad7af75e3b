import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { killAll } from './processes';
import { programArgs } from './programs';

const root = path.resolve(__dirname, '../..');

/** Every gateway process spawned, so a test file's afterAll can end those a failed test left. */
const spawned = new Set<ChildProcessWithoutNullStreams>();

/**
 * Runs `npm start`'s entry point (gateway/main.ts) as a real process on the embedded database,
 * a free port and quiet logs, with `env` on top.
 */
export function spawnGateway(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, programArgs('gateway/main'), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  return child;
}

/** SIGKILLs every gateway process still running: call it from afterAll. */
export const killSpawnedGateways = (): Promise<void> => killAll(spawned);

export type StartedGateway = { child: ChildProcessWithoutNullStreams; url: string; output: () => string };

/** Spawns a gateway and waits, on no clock, for the URL it prints once it listens. */
export function startGatewayProcess(env: Record<string, string>): Promise<StartedGateway> {
  const child = spawnGateway(env);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/GraphQL API:\s+(http:\/\/\S+)\/graphql/);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${output}`)));
  });
}

/** The exit code of a process, once it exits. */
export function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}
