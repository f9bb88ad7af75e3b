import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Db, openDatabase } from '../../db/client';

const root = path.join(__dirname, '..', '..');

/** What a CLI printed and how it exited. */
export type CliResult = { code: number | null; stdout: string; stderr: string };

/**
 * Runs an npm-script program (`db/cli/taxonomy`) as `npm run` would, through the launcher,
 * with `env` over the test's environment and no Redis.
 */
export function runProgram(program: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/run.mjs', program, ...args], {
      cwd: root,
      env: { ...process.env, REDIS_URL: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment that points a CLI at a database, and how to be rid of it afterwards. */
export type CliDatabase = { env: Record<string, string>; close(): Promise<void> };

/**
 * A database a CLI process can open: the test's own PostgreSQL database at `url`, which the
 * test has filled already, or (embedded, which one process holds at a time) a PGlite data
 * directory of its own, migrated and filled by `fill` before the CLI runs.
 */
export async function cliDatabase(url: string | undefined, fill: (db: Db) => Promise<void>): Promise<CliDatabase> {
  if (url) return { env: { DATABASE_URL: url }, close: async () => undefined };
  const dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-cli-'));
  const own = openDatabase({ pgliteDir: dir });
  try {
    await own.migrate();
    await fill(own.db);
  } finally {
    await own.close();
  }
  return {
    env: { DATABASE_URL: '', PGLITE_DIR: dir },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
