import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IngestRecord, RawPayload } from '../../../types';
import { resolveMapping } from '../mapping';
import { type FileOptions, fileSource, MAX_LINE_CHARS } from '../source';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function payloadsOf(options: FileOptions): Promise<RawPayload[]> {
  const payloads: RawPayload[] = [];
  const context = { signal: new AbortController().signal, warn: () => undefined };
  for await (const payload of fileSource.fetch(options, context)) payloads.push(payload);
  return payloads;
}

/** Records and rejects of a file, read in chunks of `chunkLines` as a run reads it. */
async function readFile(name: string, text: string, options: Partial<FileOptions> = {}) {
  const file = path.join(dir, name);
  await writeFile(file, text);
  const payloads = await payloadsOf({ path: file, marketplace: 'ebay-us', ...options });
  const parsed = payloads.map((payload) => fileSource.parse(payload));
  return {
    payloads,
    records: parsed.flatMap((p) => p.records),
    rejects: parsed.flatMap((p) => p.rejects),
  };
}

const LISTINGS_HEADER = 'external_id,title,price,status,image_urls';
const listing = (id: number) => `${id},Listing ${id},${id}.00,ACTIVE,`;
const idsOf = (records: IngestRecord[]) => records.map((record) => record.externalId);

describe('file source CSV (csv-parse, RFC 4180)', () => {
  it('quarantines only the line of an unterminated quote and imports every line after it', async () => {
    const lines = [LISTINGS_HEADER, listing(2), '3,"Broken quote,3.00,ACTIVE,', listing(4), listing(5), listing(6)];
    const { records, rejects } = await readFile('unterminated.csv', `${lines.join('\n')}\n`);
    expect(idsOf(records)).toEqual(['2', '4', '5', '6']);
    expect(rejects).toEqual([
      {
        locator: 'unterminated.csv line 3',
        code: 'BAD_LINE',
        reason: 'a quoted field opened on this line is never closed',
        record: lines[2],
      },
    ]);
    expect(records.length + rejects.length).toBe(lines.length - 1);
  });

  it('quarantines a stray quote in an unquoted field, and a quote that closes on a later line, by line', async () => {
    const lines = [
      LISTINGS_HEADER,
      listing(2),
      '3,A 12" record,3.00,ACTIVE,',
      '4,"Opens here,4.00,ACTIVE,',
      listing(5),
      '6,"Quoted, fine",6.00,ACTIVE,',
      listing(7),
    ];
    // Every chunking reads the file the same way: no payload ever holds half a record.
    for (const chunkLines of [1, 2, 3, 100]) {
      const { records, rejects } = await readFile('stray.csv', `${lines.join('\n')}\n`, { chunkLines });
      expect(idsOf(records)).toEqual(['2', '5', '6', '7']);
      expect(rejects.map((r) => [r.locator, r.reason])).toEqual([
        ['stray.csv line 3', 'a quote inside an unquoted field (field 2)'],
        [
          'stray.csv line 4',
          'a quoted field opened on this line is not closed by a quote before a comma or the line end',
        ],
      ]);
    }
  });

  it('reads quoted newlines, doubled quotes, CRLF line ends, a byte-order mark and an empty last line', async () => {
    const text = [
      `\ufeff${LISTINGS_HEADER}`,
      '1,"Two\r\nlines, and ""quotes""",1.00,ACTIVE,',
      '',
      '2,"",2.00,ACTIVE,https://i.example/2.jpg',
      '',
      '',
    ].join('\r\n');
    const { records, rejects, payloads } = await readFile('rfc.csv', text, { chunkLines: 1 });
    expect(rejects).toEqual([]);
    expect(payloads[0]?.request).toMatchObject({ header: LISTINGS_HEADER.split(','), firstLine: 2 });
    expect(records).toEqual([
      expect.objectContaining({ externalId: '1', title: 'Two\r\nlines, and "quotes"', locator: 'rfc.csv line 2' }),
      expect.objectContaining({ externalId: '2', title: '', locator: 'rfc.csv line 5' }),
    ]);
  });

  it('imports nothing from a header-only file, and quarantines a quote left open past the line cap', async () => {
    expect((await readFile('header-only.csv', `${LISTINGS_HEADER}\n`)).payloads).toEqual([]);
    // 3 MiB of lines after an open quote: the quote breaks on the cap, the lines after it are read.
    const after = Array.from({ length: 30_000 }, (_, i) => listing(10 + i));
    const { records, rejects } = await readFile(
      'open-long.csv',
      `${[LISTINGS_HEADER, '1,"Never closed,1.00,ACTIVE,', ...after].join('\n')}\n`,
    );
    expect(rejects).toEqual([
      expect.objectContaining({
        locator: 'open-long.csv line 2',
        reason: `a quoted field opened on this line is not closed within ${MAX_LINE_CHARS} characters`,
      }),
    ]);
    expect(records).toHaveLength(after.length);
  });
});

describe('file source', () => {
  it('streams a CSV in chunks whose requests carry header, mapping and line offsets', async () => {
    const file = path.join(dir, 'orders.csv');
    const lines = ['Item,Order,Date,Total,marketplace'];
    for (let i = 1; i <= 7; i += 1) lines.push(`11${i},o-${i},2026-05-0${i}T10:00:00Z,${i}.50,ebay-us`);
    // A quoted newline must stay inside its record, and inside one chunk: the first ends before it.
    lines.splice(3, 1, '113,"o-3\nsplit",2026-05-03T10:00:00Z,3.50,ebay-us');
    await writeFile(file, `${lines.join('\n')}\n`);
    const payloads = await payloadsOf({
      path: file,
      chunkLines: 3,
      map: { Item: 'external_id', Order: 'source_key', Date: 'sold_at', Total: 'unit_price' },
    });
    expect(payloads.map((p) => [p.request.firstLine, p.request.lastLine])).toEqual([
      [2, 3],
      [4, 6],
      [7, 9],
    ]);
    const first = payloads[0];
    expect(first?.request).toMatchObject({
      file: 'orders.csv',
      format: 'csv',
      kind: 'sales',
      header: ['Item', 'Order', 'Date', 'Total', 'marketplace'],
      mapping: resolveMapping('sales', {
        Item: 'external_id',
        Order: 'source_key',
        Date: 'sold_at',
        Total: 'unit_price',
      }),
      byteStart: 'Item,Order,Date,Total,marketplace\n'.length,
    });
    expect(first?.body.startsWith('Item,Order,Date,Total,marketplace\n')).toBe(true);
    const parsed = payloads.map((p) => fileSource.parse(p));
    const records = parsed.flatMap((p) => p.records);
    expect(records.map((r) => (r.kind === 'sale' ? r.sourceKey : r.kind))).toEqual([
      'o-1',
      'o-2',
      'o-3\nsplit',
      'o-4',
      'o-5',
      'o-6',
      'o-7',
    ]);
    expect(records[2]).toMatchObject({
      locator: 'orders.csv line 4',
      unitPrice: { decimal: '3.50', currency: 'USD' },
      quantity: 1,
    });
    expect(records[3]?.locator).toBe('orders.csv line 6');
  });

  it('rejects bad lines with their line numbers and keeps the rest', async () => {
    const file = path.join(dir, 'listings.csv');
    await writeFile(
      file,
      [
        'external_id,title,price,status,image_urls',
        '1,Good one,10.00,active,https://i.example/1.jpg|https://i.example/2.jpg',
        '2,Too,many,fields,here,extra',
        '3,"Broken quote,1.00,ACTIVE,',
      ].join('\n'),
    );
    const [payload] = await payloadsOf({ path: file, marketplace: 'ebay-uk' });
    if (!payload) throw new Error('no payload');
    const { records, rejects } = fileSource.parse(payload);
    expect(records).toEqual([
      expect.objectContaining({
        kind: 'listing',
        marketplace: 'ebay-uk',
        externalId: '1',
        status: 'ACTIVE',
        price: { decimal: '10.00', currency: 'GBP' },
        images: [{ url: 'https://i.example/1.jpg' }, { url: 'https://i.example/2.jpg' }],
      }),
    ]);
    expect(rejects).toEqual([
      {
        locator: 'listings.csv line 3',
        code: 'BAD_LINE',
        reason: 'expected 5 fields as in the header, got 6',
        record: '2,Too,many,fields,here,extra',
      },
      {
        locator: 'listings.csv line 4',
        code: 'BAD_LINE',
        reason: 'a quoted field opened on this line is never closed',
        record: '3,"Broken quote,1.00,ACTIVE,',
      },
    ]);
  });

  it('reads JSONL sales, numbers as decimals, and rejects lines that are not JSON objects', async () => {
    const file = path.join(dir, 'orders.jsonl');
    await writeFile(
      file,
      [
        '{"marketplace":"etsy","external_id":"9","source_key":"e-1","sold_at":"2026-05-03T12:00:00Z","unit_price":34,"quantity":2}',
        '',
        '[1,2]',
        '{"marketplace":"etsy","external_id":"9","source_key":"e-2","sold_at":"2026-05-03T12:00:00Z","unit_price":"1","quantity":"x"}',
      ].join('\n'),
    );
    const [payload] = await payloadsOf({ path: file });
    if (!payload) throw new Error('no payload');
    expect(payload.request).toMatchObject({ format: 'jsonl', kind: 'sales', firstLine: 1, lastLine: 4 });
    const { records, rejects } = fileSource.parse(payload);
    expect(records).toEqual([
      expect.objectContaining({ sourceKey: 'e-1', unitPrice: { decimal: '34', currency: 'USD' }, quantity: 2 }),
    ]);
    expect(rejects.map((r) => [r.locator, r.code])).toEqual([
      ['orders.jsonl line 3', 'BAD_LINE'],
      ['orders.jsonl line 4', 'INVALID_QUANTITY'],
    ]);
  });

  it('refuses a file whose header lacks required columns, naming them', async () => {
    const file = path.join(dir, 'nocols.csv');
    await writeFile(file, 'external_id,sold_at,marketplace\n1,2026-05-01,ebay-us\n');
    await expect(payloadsOf({ path: file })).rejects.toThrow(
      'nocols.csv: a sales file needs columns for source_key (column "source_key"), unit_price (column "unit_price"); its header has external_id, sold_at, marketplace. Rename them or pass --map column=field',
    );
    expect(() => resolveMapping('sales', { Foo: 'colour' })).toThrow(
      '--map Foo=colour: sales files have no field "colour"',
    );
  });
});
