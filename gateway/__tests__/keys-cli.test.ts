import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashApiKey } from '../../data/api-keys';
import { openDatabase } from '../../db/client';
import { findActiveApiKey } from '../../data/api-keys';
import { programArgs } from '../../test/support/programs';

const root = path.resolve(__dirname, '../..');
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'soldgraph-keys-'));
});

// Each call is a real CLI process opening a database on a possibly busy machine: this only
// bounds a test that hangs.
jest.setTimeout(10 * 60_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function keys(...args: string[]) {
  return spawnSync(process.execPath, programArgs('gateway/keys-cli', args), {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', PGLITE_DIR: dataDir },
    encoding: 'utf8',
  });
}

describe('npm run keys', () => {
  it('mints a key, stores only its hash, lists it and revokes it', async () => {
    const created = keys('create', '--name', 'analytics team', '--role', 'analyst');
    expect(created.status).toBe(0);
    const key = /\n\s+(sg_\S+)\n/.exec(created.stdout)?.[1];
    expect(key).toMatch(/^sg_[A-Za-z0-9_-]{43}$/);

    const listed = keys('list');
    expect(listed.stdout).toMatch(/^1\tanalyst\tsg_\S{8}…\tactive\tanalytics team$/m);
    expect(listed.stdout).not.toContain(key);

    const database = openDatabase({ pgliteDir: dataDir });
    try {
      expect(await findActiveApiKey(database.db, hashApiKey(key ?? ''))).toEqual({ id: 1, role: 'analyst' });
    } finally {
      await database.close();
    }

    expect(keys('revoke', '1').stdout).toContain('key 1 revoked');
    expect(keys('list').stdout).toMatch(/^1\tanalyst\tsg_\S{8}…\trevoked \S+\tanalytics team$/m);
    expect(keys('revoke', '1')).toMatchObject({ status: 1, stderr: 'no active key has id 1\n' });
  });

  it('exits 2 with the usage for bad arguments', () => {
    const bad = keys('create', '--name', 'x', '--role', 'boss');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--role must be one of dashboard, analyst, operator, admin, got "boss"');
    expect(bad.stderr).toContain(
      'usage: npm run keys -- create --name <name> --role <dashboard|analyst|operator|admin>',
    );
    expect(keys('rotate').status).toBe(2);
  });
});
