import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/**
 * The node arguments that run one of the compiled programs the way its npm script does
 * (`npm run ingest` is `node scripts/run.mjs ingest/cli`): tests exercise what users run.
 * jest's globalSetup (test/support/build-server.mjs) compiles dist/ once before any test.
 * @example spawnSync(process.execPath, programArgs('ingest/cli', ['runs']), { cwd: ROOT })
 */
export function programArgs(program: string, args: readonly string[] = []): string[] {
  return [path.join(root, 'scripts', 'run.mjs'), program, ...args];
}
