/**
 * Files that break naive importers: one oversized value or line costs that record, never its
 * chunk, and a binary or UTF-16 file ends its run with a reason instead of leaving it RUNNING.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client';
import { openTestDatabase } from '../../../test/support/database';
import { rows } from '../../../test/support/rows';
import { runIngest } from '../../pipeline/run';
import { MAX_TEXT_BYTES } from '../../pipeline/validate';
import { fileSource, MAX_LINE_CHARS } from '../file/source';

let dir: string;
let database: Database;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-hostile-'));
  database = await openTestDatabase();
});
afterAll(async () => {
  await database.close();
  await rm(dir, { recursive: true, force: true });
});

const HEADER = 'marketplace,external_id,title,price,currency';
const good = (id: number) => `ebay-us,hostile-${id},Good listing ${id},10.00,USD`;

describe('hostile files', () => {
  it('quarantines a 20,000-character title and a 3 MB line by line number and stores every other line', async () => {
    const file = path.join(dir, 'long.csv');
    const huge = `ebay-us,hostile-huge,${'y'.repeat(3 * MAX_LINE_CHARS)},10.00,USD`;
    // Just past the cap, ending within the next piece the reader takes: caught as well.
    const over = `ebay-us,hostile-over,${'ü'.repeat(MAX_LINE_CHARS + 1000)},10.00,USD`;
    const lines = [
      HEADER,
      good(1),
      `ebay-us,hostile-long-title,${'x'.repeat(20_000)},10.00,USD`,
      good(2),
      huge,
      good(3),
      over,
      good(4),
    ];
    await writeFile(file, `${lines.join('\n')}\n`);
    const summary = await runIngest({ db: database.db }, fileSource, { path: file });
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.counts).toMatchObject({ inserted: 4, quarantined: 3 });
    const quarantined = await rows<{ locator: string; code: string; reason: string }>(
      database.db,
      sql`select locator, code, reason from ingest_quarantine where run_id = ${summary.runId} order by locator`,
    );
    expect(quarantined).toEqual([
      {
        locator: 'long.csv line 3',
        code: 'INVALID_TEXT',
        reason: `title is 20000 bytes long; at most ${MAX_TEXT_BYTES} are stored`,
      },
      {
        locator: 'long.csv line 5',
        code: 'LINE_TOO_LONG',
        reason: `the line is ${huge.length} characters long; lines of at most ${MAX_LINE_CHARS} are read`,
      },
      {
        locator: 'long.csv line 7',
        code: 'LINE_TOO_LONG',
        reason: `the line is ${over.length} characters long; lines of at most ${MAX_LINE_CHARS} are read`,
      },
    ]);
    const stored = await rows<{ external_id: string }>(
      database.db,
      sql`select external_id from products where external_id like 'hostile-%' order by external_id`,
    );
    expect(stored.map((row) => row.external_id)).toEqual(['hostile-1', 'hostile-2', 'hostile-3', 'hostile-4']);
  });

  it('costs an unterminated quote only its line: the run imports the rest and its counts add up', async () => {
    const file = path.join(dir, 'quote.csv');
    const lines = [HEADER, good(10), 'ebay-us,hostile-11,"Unterminated,10.00,USD', good(12), good(13), good(14)];
    await writeFile(file, `${lines.join('\n')}\n`);
    const summary = await runIngest({ db: database.db }, fileSource, { path: file });
    expect(summary.status).toBe('SUCCEEDED');
    expect(summary.counts).toMatchObject({ inserted: 4, quarantined: 1 });
    expect(summary.counts.inserted + summary.counts.quarantined).toBe(lines.length - 1);
    const quarantined = await rows<{ locator: string; reason: string }>(
      database.db,
      sql`select locator, reason from ingest_quarantine where run_id = ${summary.runId}`,
    );
    expect(quarantined).toEqual([
      { locator: 'quote.csv line 3', reason: 'a quoted field opened on this line is never closed' },
    ]);
  });

  it('ends a run over a UTF-16 file with its reason, never leaving it RUNNING', async () => {
    const file = path.join(dir, 'utf16.csv');
    await writeFile(file, Buffer.from(`\ufeff${[HEADER, good(4)].join('\n')}\n`, 'utf16le'));
    const summary = await runIngest({ db: database.db }, fileSource, { path: file });
    const [run] = await rows<{ status: string; errors: { message: string }[] }>(
      database.db,
      sql`select status, errors from ingest_runs where id = ${summary.runId}`,
    );
    expect(run?.status).toBe(summary.status);
    expect(run?.status).not.toBe('RUNNING');
    if (run?.status === 'FAILED') expect(run.errors.at(-1)?.message).toMatch(/utf16\.csv/);
  });
});
