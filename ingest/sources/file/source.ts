/**
 * The `file` source: CSV or JSONL exports of listings or of sales, streamed. Each chunk of
 * `chunkLines` lines becomes one payload whose body is the chunk's text (a CSV chunk repeats
 * the header line first) and whose request carries the file name, kind, header, mapping and
 * line/byte offsets, so `parse(payload)` needs nothing else and replays exactly.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { MARKETPLACES } from '../../../lib/reference';
import type {
  IngestRecord,
  ListingRecord,
  ParsedPayload,
  RawPayload,
  RejectedRecord,
  SaleRecord,
  Source,
} from '../../types';
import { linesOf, readCsv } from './csv';
import {
  decoderFor,
  encodedLength,
  FILE_ENCODINGS,
  type FileDecoding,
  type FileEncoding,
  fileDecodingOf,
} from './encoding';
import { type ColumnMapping, type FileKind, MappingError, resolveMapping } from './mapping';

export type FileFormat = 'csv' | 'jsonl';

export type FileOptions = {
  path: string;
  /** Inferred when absent: a file with a `sold_at` column (after mapping) holds sales. */
  kind?: FileKind;
  /** Inferred from the extension (`.jsonl`/`.ndjson` => jsonl, anything else csv). */
  format?: FileFormat;
  /** column => field overrides of the default mapping. */
  map?: Record<string, string>;
  /** Marketplace code for lines without a `marketplace` column or value. */
  marketplace?: string;
  /** Lines per payload (default 10,000). */
  chunkLines?: number;
  /** How the file is encoded; by default told from its byte-order mark, else UTF-8 (see ./encoding.ts). */
  encoding?: FileEncoding;
};

const DEFAULT_CHUNK_LINES = 10_000;

/**
 * The longest line a file may have, in characters (~1 MiB). A longer one is skipped as it is
 * read, never held whole (a 100 MB line took 1 GB), and quarantined as LINE_TOO_LONG by its
 * number; the rest of its chunk goes in.
 */
export const MAX_LINE_CHARS = 1 << 20;

const requestSchema = z.object({
  file: z.string(),
  format: z.enum(['csv', 'jsonl']),
  kind: z.enum(['listings', 'sales']),
  header: z.array(z.string()).optional(),
  mapping: z.record(z.string(), z.string()),
  marketplace: z.string().optional(),
  observedAt: z.string(),
  /** How the file was decoded: the body is always the decoded text. */
  encoding: z.enum(FILE_ENCODINGS).optional(),
  /** 1-based line number of the first data line in the body (after the repeated header). */
  firstLine: z.number().int().positive(),
  lastLine: z.number().int().positive(),
  byteStart: z.number().int().nonnegative(),
  byteEnd: z.number().int().nonnegative(),
  /** Lines past MAX_LINE_CHARS, left out of the body (an empty line stands in) with their length. */
  tooLong: z.array(z.object({ line: z.number().int().positive(), chars: z.number().int().positive() })).optional(),
});

export type FileRequest = z.infer<typeof requestSchema>;

const REQUIRED: Record<FileKind, readonly string[]> = {
  listings: ['external_id', 'title'],
  sales: ['external_id', 'source_key', 'sold_at', 'unit_price'],
};

/** The column a sales file would read `sold_at` from, under the given overrides. */
function soldAtColumn(overrides: Record<string, string> | undefined): string {
  const entry = Object.entries(overrides ?? {}).find(([, field]) => field === 'sold_at');
  return entry ? entry[0] : 'sold_at';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatOf(options: FileOptions): FileFormat {
  if (options.format) return options.format;
  return /\.(jsonl|ndjson)$/i.test(options.path) ? 'jsonl' : 'csv';
}

type PhysicalLine = { text: string; number: number; byteStart: number; byteEnd: number; tooLong?: number };

/**
 * Physical lines of a file with their 1-based numbers and byte offsets, read in 1 MiB pieces
 * and decoded as `decoding` says (a byte-order mark is not part of the first line). A line
 * longer than MAX_LINE_CHARS comes back empty with its length in `tooLong`; it is dropped as
 * it streams by, so memory stays bounded by the cap.
 */
async function* physicalLines(file: string, decoding: FileDecoding, signal: AbortSignal): AsyncGenerator<PhysicalLine> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal });
  const decoder = decoderFor(decoding.encoding);
  const bytesOf = (text: string) => encodedLength(text, decoding.encoding);
  // The newline itself, in the file's encoding.
  const newlineBytes = bytesOf('\n');
  let rest = '';
  // A line over the cap, dropped as it streams by: its length so far, in characters and bytes.
  let skipped = { chars: 0, bytes: 0 };
  let number = 0;
  let offset = decoding.bomBytes;
  const emit = (text: string): PhysicalLine => {
    number += 1;
    const byteStart = offset;
    offset += bytesOf(text) + newlineBytes;
    return { text, number, byteStart, byteEnd: offset };
  };
  const emitSkipped = (tail: string): PhysicalLine => {
    number += 1;
    const chars = skipped.chars + tail.length;
    const byteStart = offset;
    offset += skipped.bytes + bytesOf(tail) + newlineBytes;
    skipped = { chars: 0, bytes: 0 };
    return { text: '', number, byteStart, byteEnd: offset, tooLong: chars };
  };
  const tooLong = (length: number) => skipped.chars + length > MAX_LINE_CHARS;
  const pieces = async function* () {
    for await (const chunk of stream) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  };
  for await (const piece of pieces()) {
    const text = rest + piece;
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      yield tooLong(line.length) ? emitSkipped(line) : emit(line);
      start = end + 1;
    }
    rest = text.slice(start);
    if (tooLong(rest.length)) {
      skipped = { chars: skipped.chars + rest.length, bytes: skipped.bytes + bytesOf(rest) };
      rest = '';
    }
  }
  if (skipped.chars > 0 || rest.length > MAX_LINE_CHARS) yield emitSkipped(rest);
  else if (rest !== '') yield emit(rest);
}

/** The text of physical lines as a CSV body part: each line with its newline. */
const textOf = (lines: readonly PhysicalLine[]) => `${lines.map((line) => line.text).join('\n')}\n`;

/**
 * The header record, read as csv-parse reads it (it may span lines inside quotes): its
 * fields, or undefined while a quoted field in it is still open.
 */
function headerFields(text: string, file: string): string[] | undefined {
  const read = readCsv(`${text}\n`, { firstLine: 1, maxChars: MAX_LINE_CHARS, atEnd: false });
  if (read.open !== undefined) return undefined;
  const [reject] = read.rejects;
  if (reject?.line === 1) throw new MappingError(`${file}: the header line is not valid CSV: ${reject.reason}`);
  return (read.records[0]?.fields ?? ['']).map((column) => column.trim());
}

/**
 * Whether a line has an odd number of quotes: only such a line can leave a quoted field open
 * for the next. A line that starts outside quotes and has an even number closes every quoted
 * field it opens (two quotes each, doubled ones inside), or is not valid CSV and rejected, and
 * reading starts again on the next line. So a chunk whose lines all have an even number ends
 * with a whole record, and fetch need not read it as CSV to know.
 */
function oddQuotes(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count += 1;
  return count % 2 === 1;
}

/**
 * How many lines of `chunk` hold whole CSV records: all of them, unless a record whose quoted
 * field is still open starts in it; that record goes to the next chunk, so no payload ever
 * holds half a record. 0 when the chunk starts with such a record.
 */
function wholeRecordLines(chunk: readonly PhysicalLine[], fields: number): number {
  const first = chunk[0]?.number ?? 1;
  const { open } = readCsv(textOf(chunk), { firstLine: first, fields, maxChars: MAX_LINE_CHARS, atEnd: false });
  return open === undefined ? chunk.length : open - first;
}

async function* fetchFile(options: FileOptions, signal: AbortSignal): AsyncGenerator<RawPayload> {
  const format = formatOf(options);
  const chunkLines = options.chunkLines ?? DEFAULT_CHUNK_LINES;
  if (!Number.isInteger(chunkLines) || chunkLines < 1)
    throw new MappingError(`chunkLines must be a positive integer, got ${chunkLines}`);
  const info = await stat(options.path);
  const file = path.basename(options.path);
  let decoding: FileDecoding;
  try {
    decoding = fileDecodingOf(options.path, options.encoding);
  } catch (error) {
    throw new MappingError(`${file} ${messageOf(error)}`);
  }
  // The file's modification time stands in for "when seen" of listings without observed_at.
  const observedAt = info.mtime.toISOString();
  let header: string[] | undefined;
  let headerText = '';
  let kind = options.kind;
  let mapping: ColumnMapping | undefined;
  let chunk: PhysicalLine[] = [];
  // Whether a line of the chunk may leave a quoted field open (see oddQuotes).
  let quoted = false;
  let due = chunkLines;

  const settle = (sample: string[] | Record<string, unknown>) => {
    const columns = Array.isArray(sample) ? sample : Object.keys(sample);
    kind ??= columns.includes(soldAtColumn(options.map)) ? 'sales' : 'listings';
    mapping = resolveMapping(kind, options.map);
    if (Array.isArray(sample)) {
      const missing = REQUIRED[kind].filter((field) => !columns.includes(mapping?.[field] ?? field));
      if (missing.length > 0) {
        throw new MappingError(
          `${file}: a ${kind} file needs columns for ${missing.map((f) => `${f} (column "${mapping?.[f]}")`).join(', ')}; ` +
            `its header has ${columns.join(', ')}. Rename them or pass --map column=field`,
        );
      }
      if (!columns.includes(mapping.marketplace ?? 'marketplace') && !options.marketplace) {
        throw new MappingError(
          `${file}: no marketplace column; pass --marketplace with one of ${MARKETPLACES.map((m) => m.code).join(', ')}`,
        );
      }
    }
  };

  const payload = (lines: readonly PhysicalLine[]): RawPayload => {
    const tooLong = lines.flatMap((line) =>
      line.tooLong === undefined ? [] : [{ line: line.number, chars: line.tooLong }],
    );
    const request: FileRequest = {
      file,
      format,
      kind: kind ?? 'listings',
      ...(header ? { header } : {}),
      mapping: mapping ?? {},
      ...(options.marketplace ? { marketplace: options.marketplace } : {}),
      observedAt,
      ...(decoding.encoding !== 'utf8' ? { encoding: decoding.encoding } : {}),
      firstLine: lines[0]?.number ?? 1,
      lastLine: lines.at(-1)?.number ?? 1,
      byteStart: lines[0]?.byteStart ?? 0,
      byteEnd: lines.at(-1)?.byteEnd ?? 0,
      ...(tooLong.length > 0 ? { tooLong } : {}),
    };
    return {
      endpoint: file,
      request,
      status: 0,
      contentType: format === 'csv' ? 'text/csv' : 'application/x-ndjson',
      body: `${format === 'csv' ? `${headerText}\n` : ''}${textOf(lines)}`,
    };
  };

  for await (const line of physicalLines(options.path, decoding, signal)) {
    if (format === 'csv' && header === undefined) {
      if (line.tooLong !== undefined)
        throw new MappingError(`${file}: the header line is ${line.tooLong} characters long`);
      const first = headerText === '';
      headerText = first ? line.text : `${headerText}\n${line.text}`;
      // A header still open in a quote can only close on a line with a quote, or break on the cap.
      if (!first && !line.text.includes('"') && headerText.length <= MAX_LINE_CHARS) continue;
      header = headerFields(headerText, file);
      if (header) settle(header);
      continue;
    }
    if (format === 'jsonl' && mapping === undefined && line.text.trim() !== '') {
      let sample: Record<string, unknown> = {};
      try {
        const parsed: unknown = JSON.parse(line.text);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sample = parsed as Record<string, unknown>;
      } catch {
        // A bad first line is quarantined by parse like any other; the kind falls back to the option.
      }
      settle(sample);
    }
    chunk.push(line);
    if (format === 'csv' && oddQuotes(line.text)) quoted = true;
    if (chunk.length < due) continue;
    const whole = quoted && header ? wholeRecordLines(chunk, header.length) : chunk.length;
    if (whole === 0) {
      // One record still open: read on until it closes, or breaks on the cap.
      due = chunk.length + chunkLines;
      continue;
    }
    yield payload(chunk.slice(0, whole));
    chunk = chunk.slice(whole);
    quoted = chunk.some((rest) => oddQuotes(rest.text));
    due = chunkLines;
  }
  if (format === 'csv' && header === undefined)
    throw new MappingError(`${file} is empty: a CSV import needs a header line`);
  if (chunk.length > 0) yield payload(chunk);
}

type Row = { get(field: string): string | undefined; list(field: string): string[] | undefined };

/**
 * A CSV record read by field, through the payload's mapping to header columns. A class, not
 * closures per record: tsx (keepNames) names every closure as it is made, which cost as much
 * as reading the record.
 */
class CsvRow implements Row {
  constructor(
    private readonly fields: readonly string[],
    private readonly columnOf: ReadonlyMap<string, number>,
  ) {}

  get(field: string): string | undefined {
    const i = this.columnOf.get(field);
    const value = i === undefined ? undefined : this.fields[i]?.trim();
    return value === '' ? undefined : value;
  }

  list(field: string): string[] | undefined {
    return this.get(field)
      ?.split(/[|\s]+/)
      .filter(Boolean);
  }
}

function csvRows(body: string, request: FileRequest, rejects: RejectedRecord[]): { line: number; row: Row }[] {
  const header = request.header ?? [];
  const index = new Map(header.map((column, i) => [column, i]));
  // field => the header column it is read from, for the fields the mapping finds in the header.
  const columnOf = new Map<string, number>();
  for (const [field, column] of Object.entries(request.mapping)) {
    const i = index.get(column);
    if (i !== undefined) columnOf.set(field, i);
  }
  // The body is the header record, then the chunk's lines: read as one text, numbered from 1.
  const read = readCsv(body, { firstLine: 1, fields: header.length, maxChars: MAX_LINE_CHARS, atEnd: true });
  // The header is whole in every body: fetch read it before any chunk.
  const [head, ...records] = read.records;
  const fileLine = (bodyLine: number) => bodyLine - (head?.lastLine ?? 1) - 1 + request.firstLine;
  const bad = [...read.rejects];
  const rows: { line: number; row: Row }[] = [];
  for (const { line, fields } of records) {
    if (fields.length !== header.length) {
      bad.push({ line, reason: `expected ${header.length} fields as in the header, got ${fields.length}` });
      continue;
    }
    rows.push({ line: fileLine(line), row: new CsvRow(fields, columnOf) });
  }
  const texts = linesOf(
    body,
    1,
    bad.map(({ line }) => line),
  );
  for (const { line, reason } of bad.sort((a, b) => a.line - b.line)) {
    rejects.push({
      locator: `${request.file} line ${fileLine(line)}`,
      code: 'BAD_LINE',
      reason,
      record: texts.get(line) ?? '',
    });
  }
  return rows;
}

function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function jsonlRows(body: string, request: FileRequest, rejects: RejectedRecord[]): { line: number; row: Row }[] {
  const rows: { line: number; row: Row }[] = [];
  body.split('\n').forEach((text, i) => {
    const line = request.firstLine + i;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      rejects.push({
        locator: `${request.file} line ${line}`,
        code: 'BAD_LINE',
        reason: `not valid JSON: ${messageOf(error)}`,
        record: text,
      });
      return;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      rejects.push({
        locator: `${request.file} line ${line}`,
        code: 'BAD_LINE',
        reason: 'expected one JSON object per line',
        record: text,
      });
      return;
    }
    const object = value as Record<string, unknown>;
    const raw = (field: string) => {
      const key = request.mapping[field];
      return key === undefined ? undefined : object[key];
    };
    rows.push({
      line,
      row: {
        get: (field) => jsonText(raw(field)),
        list: (field) => {
          const item = raw(field);
          if (Array.isArray(item)) return item.map(jsonText).filter((url): url is string => url !== undefined);
          return jsonText(item)
            ?.split(/[|\s]+/)
            .filter(Boolean);
        },
      },
    });
  });
  return rows;
}

const DEFAULT_CURRENCY = new Map(MARKETPLACES.map((m) => [m.code, m.currency]));

/** `9355:Cell Phones > 9356:Smartphones`: ids and names, root first; a bare name is its own id. */
function categoryPath(text: string | undefined): ListingRecord['category'] {
  if (!text) return undefined;
  const path = text
    .split('>')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const colon = node.indexOf(':');
      return colon > 0
        ? { externalId: node.slice(0, colon).trim(), name: node.slice(colon + 1).trim() }
        : { externalId: node, name: node };
    });
  return path.length > 0 ? { path } : undefined;
}

function toRecord(kind: FileKind, row: Row, request: FileRequest, locator: string): IngestRecord | RejectedRecord {
  const marketplace = row.get('marketplace') ?? request.marketplace ?? '';
  const currency = row.get('currency') ?? DEFAULT_CURRENCY.get(marketplace) ?? '';
  const externalId = row.get('external_id') ?? '';
  if (kind === 'sales') {
    const shipping = row.get('shipping');
    const quantity = row.get('quantity') ?? '1';
    if (!/^-?\d+$/.test(quantity)) {
      return {
        locator,
        code: 'INVALID_QUANTITY',
        reason: `quantity must be a positive integer, got ${JSON.stringify(quantity)}`,
      };
    }
    const sale: SaleRecord = {
      kind: 'sale',
      locator,
      marketplace,
      externalId,
      sourceKey: row.get('source_key') ?? '',
      soldAt: row.get('sold_at') ?? '',
      unitPrice: { decimal: row.get('unit_price') ?? '', currency },
      quantity: Number(quantity),
      shipping: shipping === undefined ? null : { decimal: shipping, currency },
      granularity: 'TRANSACTION',
    };
    return sale;
  }
  const price = row.get('price');
  const status = row.get('status')?.toUpperCase();
  if (status !== undefined && status !== 'ACTIVE' && status !== 'ENDED' && status !== 'SOLD') {
    return {
      locator,
      code: 'INVALID_STATUS',
      reason: `status must be ACTIVE, ENDED or SOLD, got ${JSON.stringify(row.get('status'))}`,
    };
  }
  const listing: ListingRecord = {
    kind: 'listing',
    locator,
    marketplace,
    externalId,
    title: row.get('title') ?? '',
    brand: row.get('brand') ?? null,
    gtin: row.get('gtin') ?? null,
    mpn: row.get('mpn') ?? null,
    epid: row.get('epid') ?? null,
    conditionRaw: row.get('condition') ?? null,
    conditionId: row.get('condition_id') ?? null,
    category: categoryPath(row.get('category_path')) ?? null,
    url: row.get('url') ?? null,
    ...(status ? { status } : {}),
    price: price === undefined ? null : { decimal: price, currency },
    ...(row.list('image_urls')
      ? { images: (row.list('image_urls') ?? []).map((url) => ({ url })), galleryComplete: true }
      : {}),
    observedAt: row.get('observed_at') ?? request.observedAt,
  };
  return listing;
}

/**
 * Reads one payload back into records; pure, so replay reproduces the first run exactly.
 * A line that is not CSV/JSON or has the wrong number of fields is a BAD_LINE reject.
 */
function parseFilePayload(payload: RawPayload): ParsedPayload {
  const request = requestSchema.parse(payload.request);
  const rejects: RejectedRecord[] = (request.tooLong ?? []).map(({ line, chars }) => ({
    locator: `${request.file} line ${line}`,
    code: 'LINE_TOO_LONG',
    reason: `the line is ${chars} characters long; lines of at most ${MAX_LINE_CHARS} are read`,
  }));
  const rows =
    request.format === 'csv' ? csvRows(payload.body, request, rejects) : jsonlRows(payload.body, request, rejects);
  const records: IngestRecord[] = [];
  for (const { line, row } of rows) {
    const record = toRecord(request.kind, row, request, `${request.file} line ${line}`);
    if ('kind' in record) records.push(record);
    else rejects.push(record);
  }
  return { records, rejects };
}

export const fileSource: Source<FileOptions> = {
  name: 'file',
  scope: (options) => `file:${path.basename(options.path)}`,
  fetch: (options, context) => fetchFile(options, context.signal),
  parse: parseFilePayload,
};
