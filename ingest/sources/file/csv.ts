/**
 * CSV (RFC 4180) read by csv-parse, with one rule of our own on top: a broken quote costs only
 * the lines it makes unreadable. csv-parse stops at the first error, and an unterminated quote
 * would otherwise swallow every line after it; so the record that fails is quarantined by the
 * line it starts on, and reading starts again, with a fresh parser, on the next line.
 */
import { CsvError, parse } from 'csv-parse/sync';

/** A record and the 1-based numbers of the physical lines it starts and ends on. */
export type CsvRecord = { line: number; lastLine: number; fields: string[] };

/** A line that could not be read as CSV, and why, in words for the quarantine. */
export type CsvReject = { line: number; reason: string };

export type CsvRead = {
  records: CsvRecord[];
  rejects: CsvReject[];
  /**
   * Without `atEnd`: the line a record starts on whose quoted field is still open where the
   * text ends; reading stopped there, since the field may close in the lines that follow.
   */
  open?: number;
};

export type CsvReadOptions = {
  /** The number of the text's first line. */
  firstLine: number;
  /** Fields a record must have (the header's); a record that spans lines without them is a broken quote. */
  fields?: number;
  /** A record longer than this, in characters, is a quote that never closes. */
  maxChars: number;
  /** Whether the text ends the input: then a quote still open at its end is broken, not pending. */
  atEnd: boolean;
};

const newlinesIn = (fields: string[]) => {
  let count = 0;
  for (const field of fields) for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) count += 1;
  return count;
};

/** The readable reason a record starting on a line could not be read, or undefined for errors that are not about the text. */
function brokenReason(error: CsvError, maxChars: number): string | undefined {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field opened on this line is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `a quoted field opened on this line is not closed within ${maxChars} characters`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted field opened on this line is not closed by a quote before a comma or the line end';
    case 'INVALID_OPENING_QUOTE':
      return `a quote inside an unquoted field (field ${Number(error.column) + 1})`;
    default:
      return undefined;
  }
}

/** Byte offset of the start of the line `skip` lines after the one at `from`. */
function lineStart(bytes: Buffer, from: number, skip: number): number {
  let at = from;
  for (let i = 0; i < skip && at !== -1; i += 1) {
    at = bytes.indexOf(10, at);
    if (at !== -1) at += 1;
  }
  return at === -1 ? bytes.length : at;
}

/** The records csv-parse reads from `bytes`, and the error it stopped at, if it did. */
function parseRecords(bytes: Buffer, maxChars: number): { records: string[][]; error?: CsvError } {
  const options = {
    // \r\n or \n, as physical lines are counted; a lone \r is text.
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: maxChars,
  };
  try {
    // No on_record or info: csv-parse builds an info object per record for them, which more than doubled its time.
    return { records: parse(bytes, options) as string[][] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // The sync parser drops the records it read before the error: read them again, stopping short of it.
    const before = Number(error.records);
    return { records: before > 0 ? (parse(bytes, { ...options, to: before }) as string[][]) : [], error };
  }
}

/**
 * Reads `text` as CSV records. Empty lines are skipped but still counted; a record with a
 * quoted newline keeps it and counts its lines. A record that cannot be read rejects the line
 * it starts on and reading goes on at the next line (see the module comment).
 */
export function readCsv(text: string, options: CsvReadOptions): CsvRead {
  const bytes = Buffer.from(text);
  const records: CsvRecord[] = [];
  const rejects: CsvReject[] = [];
  let start = 0;
  let line = options.firstLine;
  while (start < bytes.length) {
    const segmentLine = line;
    const read = parseRecords(bytes.subarray(start), options.maxChars);
    let reject: CsvReject | undefined;
    for (const fields of read.records) {
      const lastLine = line + newlinesIn(fields);
      const empty = fields.length === 1 && fields[0] === '';
      if (!empty && options.fields !== undefined && lastLine > line && fields.length !== options.fields) {
        reject = {
          line,
          reason: `a quoted field opened on this line runs to line ${lastLine} and leaves ${fields.length} fields where the header has ${options.fields}`,
        };
        break;
      }
      if (!empty) records.push({ line, lastLine, fields });
      line = lastLine + 1;
    }
    if (reject === undefined && read.error !== undefined) {
      const reason = brokenReason(read.error, options.maxChars);
      if (reason === undefined) throw read.error;
      if (!options.atEnd && read.error.code === 'CSV_QUOTE_NOT_CLOSED') return { records, rejects, open: line };
      reject = { line, reason };
    }
    if (reject === undefined) break;
    rejects.push(reject);
    start = lineStart(bytes, start, line - segmentLine + 1);
    line += 1;
  }
  return { records, rejects };
}

/** The text of lines of `text` (first numbered `firstLine`), without their line ends. */
export function linesOf(text: string, firstLine: number, numbers: readonly number[]): Map<number, string> {
  const wanted = new Set(numbers);
  const found = new Map<number, string>();
  let line = firstLine;
  for (let at = 0; at <= text.length && found.size < wanted.size; line += 1) {
    const end = text.indexOf('\n', at);
    const stop = end === -1 ? text.length : end;
    if (wanted.has(line)) found.set(line, text.slice(at, stop).replace(/\r$/, ''));
    if (end === -1) break;
    at = end + 1;
  }
  return found;
}
