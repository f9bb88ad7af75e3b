import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

// Runs whole commands (tsx start-up, a dashboard build if web/ changed): generous, and every
// wait below is on a condition, not a fixed sleep.
jest.setTimeout(15 * 60_000);

function checkDocs(at: string) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'check-docs.mjs'), at], { encoding: 'utf8' });
}

describe('npm run docs:check', () => {
  it('finds every link, npm script and diagram name of the real docs', () => {
    const run = checkDocs(root);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('refuses a broken link, a missing anchor, an unknown script and a diagram naming a missing folder', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'soldgraph-docs-'));
    try {
      mkdirSync(path.join(scratch, 'docs'));
      mkdirSync(path.join(scratch, 'gateway'));
      writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ scripts: { start: 'x', ingest: 'y' } }));
      writeFileSync(
        path.join(scratch, 'README.md'),
        '# Soldgraph\n\nSee [the API](docs/api.md) and [ops](docs/ops.md#health).\n\n```sh\nnpm run ingest -- samples\nnpm run seed\n```\n',
      );
      writeFileSync(path.join(scratch, 'docs', 'ops.md'), '# Operations\n\n## Logs\n');
      writeFileSync(
        path.join(scratch, 'docs', 'architecture.md'),
        '# Architecture\n\n```mermaid\ngraph TD\n  a["gateway/"] --> b["loaders/ (gone)"]\n  a --> c["npm run mart"]\n```\n',
      );
      const run = checkDocs(scratch);
      expect(run.status).toBe(1);
      const problems = run.stderr.split('\n');
      expect(problems).toContain('README.md: link to docs/api.md: docs/api.md does not exist');
      expect(problems).toContain('README.md: link to docs/ops.md#health: docs/ops.md has no heading #health');
      expect(problems).toContain('README.md: npm run seed is not a script in package.json');
      expect(problems).toContain('docs/architecture.md (mermaid diagram 1): names loaders/, which does not exist');
      expect(problems).toContain(
        'docs/architecture.md (mermaid diagram 1): npm run mart is not a script in package.json',
      );
      expect(run.stderr).not.toMatch(/gateway\//);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

/** The commands of the README's "Quick start" section, in order, comments removed. */
function quickStartCommands(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const commands: string[] = [];
  for (const block of section.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    for (const line of (block[1] ?? '').split('\n')) {
      const command = line.replace(/\s+#.*$/, '').trim();
      if (command) commands.push(command);
    }
  }
  return commands;
}

/** Whether any process of the group led by `pid` still runs. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `condition` holds, checking every 100 ms. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 100));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe("the README's quick start, run as written", () => {
  const commands = quickStartCommands();
  let dataDir: string;
  let started: ChildProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'soldgraph-quick-start-'));
  });

  afterAll(async () => {
    // npm start runs a process group (npm, the gateway, the dashboard): stop all of it.
    const pid = started?.pid;
    if (pid && groupAlive(pid)) {
      process.kill(-pid, 'SIGKILL');
      await until(() => !groupAlive(pid));
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  // The README's commands on the embedded database, in a folder of this test's own.
  const env = () => ({ ...process.env, DATABASE_URL: '', REDIS_URL: '', PGLITE_DIR: dataDir });

  it('names npm start, the samples and npm test first, as a newcomer needs them', () => {
    expect(commands.slice(0, 3)).toEqual(['npm start', 'npm run ingest -- samples', 'npm test']);
  });

  it('ingests the samples and the demo data, and lists the runs', () => {
    const ingest = commands.filter((command) => command.startsWith('npm run ingest'));
    expect(ingest.length).toBeGreaterThanOrEqual(3);
    for (const command of ingest) {
      const run = spawnSync('sh', ['-c', command], { cwd: root, env: env(), encoding: 'utf8' });
      expect(run.status === 0 ? 'ok' : `${command} exited ${run.status}:\n${run.stdout}\n${run.stderr}`).toBe('ok');
    }
    const runs = spawnSync('sh', ['-c', 'npm run -s ingest -- runs'], { cwd: root, env: env(), encoding: 'utf8' });
    expect(runs.stdout).toMatch(/SUCCEEDED/);
    expect(runs.stdout).toMatch(/file/);
    expect(runs.stdout).toMatch(/demo/);
  });

  it('starts with npm start, answers the curl query, and stops on Ctrl-C', async () => {
    const [port, webPort] = [await freePort(), await freePort()];
    started = spawn('sh', ['-c', 'npm start'], {
      cwd: root,
      env: { ...env(), PORT: String(port), WEB_PORT: String(webPort) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    // Every process of the group writes into this pipe: it closes when the last one has exited.
    const drained = new Promise((resolve) => started?.stdout?.once('close', resolve));
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/GraphQL API:/.test(output) && /Dashboard:/.test(output)) resolve();
      };
      started?.stdout?.on('data', check);
      started?.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });

    const curl = commands.find((command) => command.startsWith('curl '));
    if (!curl) throw new Error('the quick start has no curl example');
    const answer = spawnSync('sh', ['-c', curl.replace('127.0.0.1:4000', `127.0.0.1:${port}`)], { encoding: 'utf8' });
    expect(answer.status).toBe(0);
    const body = JSON.parse(answer.stdout) as { data: { marketplaces: { code: string }[] } };
    expect(body.data.marketplaces.map((marketplace) => marketplace.code)).toContain('ebay-us');
    const dashboard = await fetch(`http://127.0.0.1:${webPort}/`);
    expect(dashboard.status).toBe(200);

    const pid = started.pid;
    if (!pid) throw new Error('npm start has no pid');
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      started?.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // Ctrl-C in a terminal sends SIGINT to the whole foreground group: npm may die of it at
    // once, while the gateway and the dashboard stop cleanly behind it.
    process.kill(-pid, 'SIGINT');
    const { code, signal } = await exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    await until(() => !groupAlive(pid));
    await drained;
    expect(output).toMatch(/"msg":"stopped"/);
    expect(output).not.toMatch(/forcing exit/);
  });
});
