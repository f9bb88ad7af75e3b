import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../lib/processes';

/** Why the embedded database would not open: another process (or this one) has its directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(dir: string, holder: string) {
    super(
      `The embedded database in ${dir} is in use by ${holder}. Two processes on one PGlite directory corrupt it: ` +
        'stop the other one first, or give each its own PGLITE_DIR, or use PostgreSQL (DATABASE_URL). ' +
        'While npm start runs, other commands share the database through it.',
    );
  }
}

const LOCK_FILE = 'soldgraph.lock';
// Where the owner serves the database to other processes (db/embedded-server.ts): its pid and URL.
const SERVER_FILE = 'soldgraph.server';
// Directories this process has open: a second PGlite on one of them corrupts it as surely as
// a second process would.
const heldHere = new Set<string>();

/**
 * Takes `dir` for this process, the way PostgreSQL's postmaster.pid does: a lock file holding
 * the owner's pid, created exclusively. A lock whose process is gone (killed, crashed) is taken
 * over; a live one refuses with a message that says what to do. Returns the release.
 * @example const release = lockDataDir('.data/pglite'); ... release();
 */
export function lockDataDir(dir: string): () => void {
  const resolved = path.resolve(dir);
  if (heldHere.has(resolved)) throw new DataDirInUseError(dir, `this process (pid ${process.pid})`);
  mkdirSync(resolved, { recursive: true });
  const file = path.join(resolved, LOCK_FILE);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n${process.argv.slice(1).join(' ')}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      const [pid, command] = readFileSync(file, 'utf8').split('\n');
      const owner = Number(pid);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isProcessAlive(owner)) {
        throw new DataDirInUseError(dir, `process ${owner} (${command || 'unknown command'})`);
      }
      // Its owner is gone: the lock is stale. It is renamed away (atomic: of two processes
      // taking over at once, one moves it and the other finds it gone and tries again). If what
      // was moved is no longer the stale lock (another process took over in between and wrote
      // its own), it is put back, and the next attempt finds that owner alive.
      const moved = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, moved);
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code !== 'ENOENT') throw renameError;
        continue;
      }
      if (readFileSync(moved, 'utf8').split('\n')[0] === pid) rmSync(moved, { force: true });
      else renameSync(moved, file);
    }
  }
  heldHere.add(resolved);
  return () => {
    heldHere.delete(resolved);
    rmSync(file, { force: true });
  };
}

/** The pid in `dir`'s lock file, if the lock is held by a live process. */
function liveOwnerOf(dir: string): number | undefined {
  try {
    const owner = Number(readFileSync(path.join(dir, LOCK_FILE), 'utf8').split('\n')[0]);
    return Number.isInteger(owner) && owner > 0 && isProcessAlive(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tells other processes where this process (the owner of `dir`) serves its database. The file
 * holds the password, so only the owner's user may read it. Returns the withdrawal.
 * @example const withdraw = advertiseServer('.data/pglite', server.url); ... withdraw();
 */
export function advertiseServer(dir: string, url: string): () => void {
  const file = path.join(path.resolve(dir), SERVER_FILE);
  const written = `${file}.${process.pid}`;
  writeFileSync(written, `${process.pid}\n${url}\n`, { mode: 0o600 });
  renameSync(written, file);
  return () => rmSync(file, { force: true });
}

/**
 * The URL at which the live owner of `dir` serves its database, or undefined when no live
 * process owns it or its owner does not serve it (a command-line run, not the gateway).
 */
export function advertisedServer(dir: string): string | undefined {
  const resolved = path.resolve(dir);
  const owner = liveOwnerOf(resolved);
  if (owner === undefined || owner === process.pid) return undefined;
  try {
    const [pid, url] = readFileSync(path.join(resolved, SERVER_FILE), 'utf8').split('\n');
    return Number(pid) === owner && url ? url : undefined;
  } catch {
    return undefined;
  }
}
