import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nearest folder at or above `from` that holds a package.json. */
function packageRootAbove(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json in ${from} or any folder above it`);
  }
}

/**
 * The project's root folder. Files that ship beside the code (the SDL, the migrations, the
 * bundled samples, the dashboard's persisted documents) are found from here rather than from
 * `__dirname`: the sources (lib/paths.ts) and the compiled bundles (dist/<entry>.js, one file
 * per entry point) sit at different depths, and only the root is the same for both.
 */
export const PROJECT_ROOT = packageRootAbove(__dirname);

/** A path under the project's root, such as `projectPath('db', 'migrations')`. */
export const projectPath = (...parts: string[]): string => path.join(PROJECT_ROOT, ...parts);
