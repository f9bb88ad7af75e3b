import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { killAll } from './processes';
import { programArgs } from './programs';

const root = path.resolve(__dirname, '../..');

/** Every process a test file spawned, so its afterAll can end them even after a failure. */
const spawned = new Set<ChildProcessWithoutNullStreams>();

/** A compiled program run as its own process, and everything it printed so far. */
export type Program = { child: ChildProcessWithoutNullStreams; output: () => string };

/** Runs the compiled `program` (e.g. `watchlists/main`) as its npm script does, in the project root, with `env` on top of ours. */
export function runProgram(program: string, args: string[], env: Record<string, string>): Program {
  const child = spawn(process.execPath, programArgs(program, args), {
    cwd: root,
    env: { ...process.env, ...env },
  });
  spawned.add(child);
  child.once('exit', () => spawned.delete(child));
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return { child, output: () => output };
}

/**
 * Starts `program` and waits, on no clock, for the URL its banner prints once it listens
 * (`pattern`'s first group); rejects with its output if it exits first.
 */
export function startProgram(
  program: string,
  env: Record<string, string>,
  pattern: RegExp,
): Promise<Program & { url: string }> {
  const started = runProgram(program, [], env);
  return new Promise((resolve, reject) => {
    const look = () => {
      const url = pattern.exec(started.output())?.[1];
      if (url) resolve({ ...started, url });
    };
    started.child.stdout.on('data', look);
    started.child.stderr.on('data', look);
    started.child.once('exit', (code) =>
      reject(new Error(`${program} exited with ${code} before listening:\n${started.output()}`)),
    );
  });
}

/** Runs `program` to its end; resolves with its exit code and output. */
export async function runToEnd(
  program: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const run = runProgram(program, args, env);
  const code = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
  return { code, output: run.output() };
}

/** Stops a program with SIGTERM (a graceful stop) and waits until it has exited. */
export async function stopProgram(program: Program): Promise<void> {
  if (program.child.exitCode !== null || program.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => program.child.once('exit', () => resolve()));
  program.child.kill('SIGTERM');
  await exited;
}

/** SIGKILLs every program still running: call it from afterAll. */
export const killPrograms = (): Promise<void> => killAll(spawned);
