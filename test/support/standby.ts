import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { appendFile, chown, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { withAdmin } from './database';

const run = promisify(execFile);

/** A streaming standby of the test PostgreSQL, in a temporary folder, for one test file. */
export type Standby = {
  port: number;
  /** The standby's URL for `database` (a database of the primary, replicated). */
  urlFor(database: string): string;
  /** Runs `text` on the standby's `postgres` database. */
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>;
  /** Waits until the standby has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  /** Stops the standby (fast shutdown), keeping its files so that `start` brings it back. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it (however it stands) and deletes its files; safe to call twice. */
  destroy(): Promise<void>;
};

/** Lets conditions settle between polls without spinning. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Runs a PostgreSQL program as `postgres` when we are root (postgres refuses root), else as ourselves. */
function asPostgres(program: string, args: string[]) {
  const root = process.getuid?.() === 0;
  return root ? run('runuser', ['-u', 'postgres', '--', program, ...args]) : run(program, args);
}

/**
 * Whether this machine has PostgreSQL's server programs to make a standby with: pg_basebackup on
 * PATH, or in Debian's layout. Synchronous, so a test file can skip its suite when it has none.
 */
export function hasServerPrograms(): boolean {
  if (spawnSync('pg_basebackup', ['--version']).status === 0) return true;
  const debian = '/usr/lib/postgresql';
  return (
    existsSync(debian) &&
    readdirSync(debian).some((major) => existsSync(path.join(debian, major, 'bin', 'pg_basebackup')))
  );
}

/**
 * The folder of PostgreSQL's server programs for major version `major`: `pg_config --bindir`
 * when it is that version, else the folders on PATH, else Debian's layout as a last resort.
 */
async function serverBinaries(major: number): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await run('pg_config', ['--bindir'])).stdout.trim());
  } catch {
    // No pg_config: look on PATH.
  }
  candidates.push(...(process.env.PATH ?? '').split(path.delimiter), `/usr/lib/postgresql/${major}/bin`);
  for (const dir of candidates) {
    if (!['postgres', 'pg_ctl', 'pg_basebackup'].every((name) => existsSync(path.join(dir, name)))) continue;
    const { stdout } = await run(path.join(dir, 'postgres'), ['--version']).catch(() => ({ stdout: '' }));
    if (new RegExp(`\\s${major}(\\.|\\s)`).test(stdout)) return dir;
  }
  throw new Error(
    `no PostgreSQL ${major} server programs (postgres, pg_ctl, pg_basebackup) found via pg_config, PATH or /usr/lib/postgresql/${major}/bin`,
  );
}

/**
 * Lets `pg_basebackup` and the standby connect for replication from 127.0.0.1: adds
 * `host replication all 127.0.0.1/32 trust` to the primary's pg_hba.conf when no rule allows
 * replication over TCP, and reloads it. Throws with what to do when the file cannot be edited.
 */
async function allowReplication(admin: Client): Promise<void> {
  const { rows } = await admin.query(
    `select count(*)::int as rules from pg_hba_file_rules
      where 'replication' = any(database) and type like 'host%' and error is null`,
  );
  if ((rows[0] as { rules: number }).rules > 0) return;
  const file = String((await admin.query('show hba_file')).rows[0].hba_file);
  const line = 'host replication all 127.0.0.1/32 trust';
  try {
    await appendFile(
      file,
      `\n# Added by the Soldgraph test harness (test/support/standby.ts) for a streaming standby.\n${line}\n`,
    );
  } catch (error) {
    throw new Error(
      `the primary allows no replication connections and its ${file} cannot be edited (${(error as Error).message}): add "${line}" to it and run "select pg_reload_conf()"`,
      { cause: error },
    );
  }
  await admin.query('select pg_reload_conf()');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Makes a streaming standby of the PostgreSQL at `adminUrl` (a superuser, as the tests have):
 * `pg_basebackup -R` into a temporary folder, started with `pg_ctl` on a free port of
 * 127.0.0.1, returned once the primary reports it streaming. Call `destroy` in `afterAll`; a
 * process exit stops it too (immediate shutdown), so no postgres is left behind.
 * @example
 *   const standby = await startStandby(process.env.DATABASE_URL);
 *   const replicaUrl = standby.urlFor('soldgraph_test_1a2b');
 */
export async function startStandby(adminUrl: string): Promise<Standby> {
  const primary = new URL(adminUrl);
  const settings = await withAdmin(adminUrl, async (admin) => {
    await allowReplication(admin);
    // A hot standby needs at least the primary's values of these.
    const names = [
      'max_connections',
      'max_worker_processes',
      'max_wal_senders',
      'max_prepared_transactions',
      'max_locks_per_transaction',
    ];
    const { rows } = await admin.query('select name, setting from pg_settings where name = any($1)', [names]);
    const version = Number((await admin.query('show server_version_num')).rows[0].server_version_num);
    return { version, rows: rows as { name: string; setting: string }[] };
  });
  const bin = await serverBinaries(Math.floor(settings.version / 10_000));
  const folder = await mkdtemp(path.join(os.tmpdir(), 'soldgraph-standby-'));
  const data = path.join(folder, 'data');
  const name = path.basename(folder).replace(/\W/g, '_');
  const port = await freePort();
  let postmasterPid: number | undefined;
  // Immediate shutdown: for a process exiting without afterAll, and for a standby pg_ctl could not stop.
  const stopOnExit = () => {
    try {
      if (postmasterPid) process.kill(postmasterPid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stopOnExit);
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  const pgCtl = (...args: string[]) => asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, ...args]);
  const pidOf = () => {
    const file = path.join(data, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  };
  const logTail = async () => (await readFile(path.join(folder, 'standby.log'), 'utf8').catch(() => '')).slice(-2_000);
  const standbyUrl = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const queryStandby = <Row>(text: string, values?: unknown[]) =>
    withAdmin(standbyUrl('postgres'), async (client) => (await client.query(text, values)).rows as Row[]);

  async function start(): Promise<void> {
    try {
      await pgCtl('-l', path.join(folder, 'standby.log'), '-w', 'start');
    } catch (error) {
      throw new Error(`the standby did not start: ${(error as Error).message}\n${await logTail()}`, { cause: error });
    }
    postmasterPid = pidOf();
    // Streaming once the primary lists our walreceiver (cluster_name is its application_name).
    for (;;) {
      const { rows } = await withAdmin(adminUrl, (admin) =>
        admin.query('select state from pg_stat_replication where application_name = $1', [name]),
      );
      if (rows[0]?.state === 'streaming') return;
      if (!pidOf()) throw new Error(`the standby stopped before it streamed:\n${await logTail()}`);
      await pause();
    }
  }

  async function stop(): Promise<void> {
    const pid = pidOf();
    if (!pid) return;
    try {
      await pgCtl('-m', 'fast', '-w', 'stop');
    } catch {
      stopOnExit();
    }
    while (alive(pid)) await pause();
    postmasterPid = undefined;
  }

  try {
    if (process.getuid?.() === 0) {
      const ids = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
      await chown(folder, await ids('-u'), await ids('-g'));
    }
    await asPostgres(path.join(bin, 'pg_basebackup'), [
      '-h',
      primary.hostname,
      '-p',
      primary.port || '5432',
      '-U',
      decodeURIComponent(primary.username || 'postgres'),
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-password',
    ]);
    // Debian keeps the primary's configuration outside its data folder: the copy has none.
    const conf = [
      ...settings.rows.map((row) => `${row.name} = ${row.setting}`),
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${folder}'`,
      `cluster_name = '${name}'`,
      'hot_standby = on',
    ];
    const files = {
      'postgresql.conf': `${conf.join('\n')}\n`,
      'pg_hba.conf': 'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    };
    for (const [file, text] of Object.entries(files)) {
      await writeFile(path.join(data, file), text);
      if (process.getuid?.() === 0) await run('chown', ['postgres:postgres', path.join(data, file)]);
    }
    await start();
  } catch (error) {
    await stop();
    await rm(folder, { recursive: true, force: true });
    process.removeListener('exit', stopOnExit);
    throw error;
  }

  return {
    port,
    urlFor: standbyUrl,
    query: queryStandby,
    async caughtUp() {
      const [{ lsn }] = await withAdmin(
        adminUrl,
        async (admin) => (await admin.query('select pg_current_wal_lsn()::text as lsn')).rows,
      );
      for (;;) {
        const [row] = await queryStandby<{ done: boolean }>('select pg_last_wal_replay_lsn() >= $1::pg_lsn as done', [
          lsn,
        ]);
        if (row?.done) return;
        await pause();
      }
    },
    stop,
    start,
    async destroy() {
      await stop();
      process.removeListener('exit', stopOnExit);
      await rm(folder, { recursive: true, force: true });
    },
  };
}
