import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ListingRecord, RawPayload } from '../../../types';
import { fileEntry } from '../index';
import { type FileOptions, fileSource } from '../source';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'soldgraph-encoding-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LISTINGS = 'marketplace,external_id,title,price\nebay-us,1,Café crème “deluxe”,12.50\nebay-us,2,Zoë’s mug,8\n';

async function titlesOf(options: FileOptions): Promise<{ titles: string[]; payloads: RawPayload[] }> {
  const payloads: RawPayload[] = [];
  const context = { signal: new AbortController().signal, warn: () => undefined };
  for await (const payload of fileSource.fetch(options, context)) payloads.push(payload);
  const records = payloads.flatMap((payload) => fileSource.parse(payload).records) as ListingRecord[];
  return { titles: records.map((record) => record.title), payloads };
}

/** What `npm run ingest -- file ...` checks before it opens the database (exit 2 when it throws). */
const check = (args: Record<string, string>) => fileEntry.check(args);

/** The text as Windows-1252 bytes: what Excel writes for "CSV" on a Western-European machine. */
function windows1252(text: string): Buffer {
  const extra: Record<string, number> = { '“': 0x93, '”': 0x94, '’': 0x92, '€': 0x80 };
  return Buffer.from([...text].map((char) => extra[char] ?? char.charCodeAt(0)));
}

describe('file import encodings', () => {
  it('reads UTF-16 with a byte-order mark, little- and big-endian, as the same listings as UTF-8', async () => {
    const utf8 = path.join(dir, 'utf8.csv');
    await writeFile(utf8, LISTINGS);
    const le = path.join(dir, 'utf16le.csv');
    await writeFile(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(LISTINGS, 'utf16le')]));
    const be = path.join(dir, 'utf16be.csv');
    await writeFile(be, Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(LISTINGS, 'utf16le').swap16()]));

    const expected = (await titlesOf({ path: utf8 })).titles;
    expect(expected).toEqual(['Café crème “deluxe”', 'Zoë’s mug']);
    const little = await titlesOf({ path: le });
    expect(little.titles).toEqual(expected);
    expect(little.payloads[0]?.request).toMatchObject({ encoding: 'utf16le', firstLine: 2, lastLine: 3 });
    // Byte offsets count the file's own bytes: the mark, then two per UTF-16 unit.
    expect(little.payloads[0]?.request.byteStart).toBe(2 + 2 * (LISTINGS.indexOf('\n') + 1));
    expect((await titlesOf({ path: be })).titles).toEqual(expected);
    expect(() => check({ path: le })).not.toThrow();
  });

  it('reads a UTF-8 file with a byte-order mark without the mark in its first column name', async () => {
    const file = path.join(dir, 'bom.csv');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(LISTINGS)]));
    const { titles, payloads } = await titlesOf({ path: file });
    expect(titles).toHaveLength(2);
    expect((payloads[0]?.request as { header?: string[] } | undefined)?.header?.[0]).toBe('marketplace');
  });

  it('refuses a Latin-1 export before any run, saying to pass --encoding latin1, and reads it with it', async () => {
    const file = path.join(dir, 'excel.csv');
    await writeFile(file, windows1252(LISTINGS));
    expect(() => check({ path: file })).toThrow(
      `--path ${file} is not UTF-8: if it came from Excel or an older system, pass --encoding latin1 (read as Windows-1252)`,
    );
    await expect(titlesOf({ path: file })).rejects.toThrow('excel.csv is not UTF-8');
    const { titles, payloads } = await titlesOf({ path: file, encoding: 'latin1' });
    expect(titles).toEqual(['Café crème “deluxe”', 'Zoë’s mug']);
    expect(payloads[0]?.request).toMatchObject({ encoding: 'latin1', byteEnd: windows1252(LISTINGS).length });
    expect(() => check({ path: file, encoding: 'latin1' })).not.toThrow();
  });

  it('refuses UTF-16 without a byte-order mark and binary files, and an unknown --encoding', async () => {
    const file = path.join(dir, 'no-mark.csv');
    await writeFile(file, Buffer.from(LISTINGS, 'utf16le'));
    expect(() => check({ path: file })).toThrow(
      `--path ${file} holds a NUL byte at offset 1: it is UTF-16 without a byte-order mark (pass --encoding utf16le or utf16be), or not a text file`,
    );
    expect((await titlesOf({ path: file, encoding: 'utf16le' })).titles).toHaveLength(2);
    expect(() => check({ path: file, encoding: 'ebcdic' })).toThrow(
      '--encoding must be one of utf8, latin1, utf16le, utf16be, got "ebcdic"',
    );
  });
});
