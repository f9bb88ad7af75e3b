import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A real gateway process on a possibly busy machine: the waits are on conditions, and this
// only bounds a test that hangs.
jest.setTimeout(10 * 60_000);

const root = path.resolve(__dirname, '../../..');
const staged = mkdtempSync(path.join(tmpdir(), 'soldgraph-runtime-'));
const children = new Set<ChildProcessWithoutNullStreams>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(staged, { recursive: true, force: true });
});

/** Every file under `dir`, relative to it, skipping node_modules. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const relative = path.join(prefix, entry.name);
    return entry.isDirectory() ? filesUnder(path.join(dir, entry.name), relative) : [relative];
  });
}

/** Starts the staged gateway as the image's CMD does, and resolves with its URL once it listens. */
function startStagedGateway(): Promise<string> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/gateway/main.js'], {
    cwd: staged,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: '',
      REDIS_URL: '',
      PGLITE_DIR: path.join(staged, '.data', 'pglite'),
      SEED_SIZE: 'small',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /GraphQL API:\s+(http:\/\/\S+)\/graphql/.exec(output)?.[1];
      if (url) resolve(url);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the staged gateway exited with ${code}:\n${output}`)));
  });
}

describe('the production image’s files (scripts/stage-runtime.mjs, as the Dockerfile runs it)', () => {
  beforeAll(() => {
    // The dashboard's build is checked by its own tests; these need only the server's files.
    const stage = spawnSync(process.execPath, ['scripts/stage-runtime.mjs', staged, '--without-dashboard'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(stage.stderr).toBe('');
    expect(stage.status).toBe(0);
    // The image installs its own production dependencies; here the repository's stand in.
    symlinkSync(path.join(root, 'node_modules'), path.join(staged, 'node_modules'), 'dir');
  });

  it('hold compiled JavaScript and no TypeScript', () => {
    const files = filesUnder(staged);
    expect(files).toContain(path.join('dist', 'gateway', 'main.js'));
    expect(files).toContain(path.join('dist', 'ingest', 'cli.js'));
    expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('next.config.ts'))).toEqual([]);
  });

  it('need only production dependencies: the image installs nothing else', () => {
    const { dependencies } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const bundles = filesUnder(path.join(staged, 'dist')).filter((file) => file.endsWith('.js'));
    expect(bundles.length).toBeGreaterThan(5);
    const needed = new Set<string>();
    for (const bundle of bundles) {
      const text = readFileSync(path.join(staged, 'dist', bundle), 'utf8');
      for (const [, request = ''] of text.matchAll(/\brequire\("([^"]+)"\)/g)) {
        if (request.startsWith('node:') || request.startsWith('.')) continue;
        // A package's name: its first path segment, or its first two when scoped (@scope/name).
        needed.add(
          request
            .split('/')
            .slice(0, request.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
    expect([...needed].filter((name) => !(name in dependencies)).sort()).toEqual([]);
  });

  it('run the CLIs without sources: npm run ingest -- --help answers, and nothing compiles', () => {
    const help = spawnSync(process.execPath, ['scripts/run.mjs', 'ingest/cli', '--help'], {
      cwd: staged,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('usage: npm run ingest -- <command> [options]');
    expect(help.stderr).not.toContain('Compiling');
  });

  it('serve GraphQL: the SDL, the migrations, the demo seed and the safelist are all found', async () => {
    const url = await startStagedGateway();
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ products(first: 0) { totalCount } }' }),
    });
    const body = (await response.json()) as { data?: { products: { totalCount: number } } };
    expect(body.data?.products.totalCount).toBeGreaterThan(0);
  });
});
