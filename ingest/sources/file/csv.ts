/**
 * Just enough RFC 4180 for streamed chunking: records may span lines inside quotes, so the
 * chunker and the parser agree on where each record starts.
 */

/** Whether a physical line leaves a quoted field open: toggled by each odd run of quotes. */
export function togglesQuote(line: string): boolean {
  let quotes = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) quotes += 1;
  return quotes % 2 === 1;
}

/** A logical CSV record and the 1-based number of the physical line it starts on. */
export type CsvRecord = { line: number; text: string };

/**
 * Groups physical lines into records (quoted newlines stay inside their record); blank lines
 * are skipped but still counted. `firstLine` is the number of `text`'s first line.
 */
export function csvRecords(text: string, firstLine: number): { records: CsvRecord[]; unterminated?: CsvRecord } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const records: CsvRecord[] = [];
  let open: CsvRecord | undefined;
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (open) {
      open.text += `\n${line}`;
      if (togglesQuote(line)) {
        records.push(open);
        open = undefined;
      }
      return;
    }
    if (line === '') return;
    const record = { line: firstLine + i, text: line };
    if (togglesQuote(line)) open = record;
    else records.push(record);
  });
  return open ? { records, unterminated: open } : { records };
}

/** Splits one record into fields; throws a RangeError for a stray quote. */
export function csvFields(record: string, delimiter = ','): string[] {
  if (!record.includes('"')) return record.split(delimiter);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const close = record.indexOf('"', i);
        if (close === -1) throw new RangeError('a quoted field is not closed');
        value += record.slice(i, close);
        if (record[close + 1] === '"') {
          value += '"';
          i = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i === record.length) return fields;
      if (record[i] !== delimiter)
        throw new RangeError(`unexpected character after a quoted field at position ${i + 1}`);
      i += 1;
    } else {
      const next = record.indexOf(delimiter, i);
      const end = next === -1 ? record.length : next;
      const value = record.slice(i, end);
      if (value.includes('"')) throw new RangeError(`a quote inside an unquoted field at position ${i + 1}`);
      fields.push(value);
      if (next === -1) return fields;
      i = next + 1;
    }
  }
}
