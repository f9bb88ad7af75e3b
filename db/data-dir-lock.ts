import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '../lib/processes';

/** Why the embedded database would not open: another process (or this one) has its directory. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
  constructor(dir: string, holder: string) {
    super(
      `The embedded database in ${dir} is in use by ${holder}. Two processes on one PGlite directory corrupt it: ` +
        'stop the other one first (npm start owns it while it runs), or give each its own PGLITE_DIR, ' +
        'or use PostgreSQL (DATABASE_URL) to run ingestion beside the app.',
    );
  }
}

const LOCK_FILE = 'soldgraph.lock';
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
