import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { programArgs } from '../../../test/support/programs';

const ROOT = path.join(__dirname, '..', '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[]) {
  // Exit codes do not depend on the database: a throwaway embedded one keeps this test lean.
  const env = { ...process.env, DATABASE_URL: '', REDIS_URL: '', PGLITE_DIR: 'memory://' };
  return spawnSync(process.execPath, programArgs('ingest/cli', args), {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  });
}

describe('npm run ingest', () => {
  it('exits 2 with the usage for bad arguments', () => {
    const result = cli(['file', '--kind', 'foo', '--path', 'x.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--kind must be listings or sales, got "foo"');
    expect(result.stderr).toContain('usage: npm run ingest -- file --path');
    expect(cli(['replay']).status).toBe(2);
    expect(cli(['no-such-source']).stderr).toContain('unknown command or source "no-such-source"');
  });

  it('exits 2 for a missing file before any run starts, and answers --help for every source', () => {
    const missing = cli(['file', '--path', path.join(dir, 'missing.csv')]);
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toContain('missing.csv: no such file');
    expect(missing.stderr).toContain('usage: npm run ingest -- file --path');
    for (const source of ['file', 'ebay-browse', 'ebay-insights', 'keepa', 'demo']) {
      const help = cli([source, '--help']);
      expect([source, help.status, help.stdout.split('\n')[0]]).toEqual([
        source,
        0,
        expect.stringMatching(new RegExp(`^usage: npm run ingest -- ${source}\\b`)),
      ]);
    }
  });

  it('exits 1 with the reason when a run fails', async () => {
    const file = path.join(dir, 'no-marketplace.csv');
    await writeFile(file, 'external_id,title\n1,x\n');
    const result = cli(['file', '--path', file]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAILED');
    expect(result.stdout).toContain(
      'no-marketplace.csv: no marketplace column; pass --marketplace with one of ebay-us',
    );
  });

  it('ingests the bundled samples with one command', () => {
    const result = cli(['samples']);
    expect(result.status).toBe(0);
    expect(result.stdout.match(/SUCCEEDED/g)).toHaveLength(3);
    expect(result.stdout).toContain(
      'listings.csv: run 1 SUCCEEDED — 1 pages, 13 records: 9 inserted, 0 updated, 0 unchanged, 4 quarantined',
    );
  });
});
