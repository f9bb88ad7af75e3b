import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { sendGraphQLErrors } from './http-errors';

/** Rows written per chunk: the answer goes out as it is turned into text, not as one string. */
const ROWS_PER_CHUNK = 500;

/** Whether the caller asks for CSV: `Accept: text/csv` as its first choice. */
export function wantsCsv(request: Request): boolean {
  return /^\s*text\/csv\b/i.test(request.header('accept') ?? '');
}

type Row = Record<string, unknown>;
const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rows of an answer: its one root field's list, or that field's `nodes`, `edges` (their
 * `node`s) or `buckets`. Undefined when the answer has no such list.
 */
export function rowsOf(data: unknown): Row[] | undefined {
  if (!isRow(data)) return undefined;
  const fields = Object.values(data);
  if (fields.length !== 1) return undefined;
  const [field] = fields;
  const list = Array.isArray(field)
    ? field
    : isRow(field)
      ? (field.nodes ??
        (Array.isArray(field.edges) ? field.edges.map((edge) => (isRow(edge) ? edge.node : edge)) : field.buckets))
      : undefined;
  return Array.isArray(list) && list.every(isRow) ? list : undefined;
}

/** A row's cells by dotted path (`revenue.amount`); a list inside a row stays one cell, as JSON. */
function flatten(row: Row, prefix = '', cells = new Map<string, unknown>()): Map<string, unknown> {
  for (const [name, value] of Object.entries(row)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (isRow(value)) flatten(value, path, cells);
    else cells.set(path, value);
  }
  return cells;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Text that a
 * spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote mark,
 * numbers excepted, so an exported title cannot execute in the analyst's spreadsheet.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV lines of `rows`: a header of every column any row has, in first-seen order, then one line per row. */
export function* csvLines(rows: readonly Row[]): Generator<string> {
  const flat = rows.map((row) => flatten(row));
  const columns = [...new Set(flat.flatMap((cells) => [...cells.keys()]))];
  yield columns.map(csvField).join(',');
  for (const cells of flat) yield columns.map((column) => csvField(cells.get(column))).join(',');
}

function sendCsv(response: Response, rows: readonly Row[], name: string): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/csv; charset=utf-8');
  response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
  response.removeHeader('Content-Length');
  let chunk: string[] = [];
  for (const line of csvLines(rows)) {
    chunk.push(line);
    if (chunk.length === ROWS_PER_CHUNK) {
      response.write(`${chunk.join('\r\n')}\r\n`);
      chunk = [];
    }
  }
  response.end(chunk.length ? `${chunk.join('\r\n')}\r\n` : undefined);
}

/**
 * `Accept: text/csv` on /graphql: the operation runs as any other (the same keys, limits,
 * cost and cache), asked for JSON, and its answer's list is sent as CSV, streamed in chunks. An
 * answer with errors is sent as it is, JSON; one whose root is not a single list is refused
 * with CSV_NEEDS_ONE_LIST (HTTP 400).
 */
export function csvExport(): RequestHandler {
  return (request, response, next) => {
    response.vary('Accept');
    if (!wantsCsv(request)) {
      next();
      return;
    }
    // The CSV is made from the JSON answer: everything after this asks for JSON.
    request.headers.accept = 'application/json';
    const send = response.send.bind(response);
    response.send = (body?: unknown) => {
      response.send = send;
      let answer: { data?: unknown; errors?: unknown } | undefined;
      try {
        answer = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : String(body)) as typeof answer;
      } catch {
        return send(body);
      }
      if (!answer || answer.errors !== undefined || response.statusCode >= 400) return send(body);
      const rows = rowsOf(answer.data);
      if (!rows) {
        sendGraphQLErrors(request, response, 400, [
          new GraphQLError(
            'CSV needs an operation with one root field whose answer is a list (or has nodes, edges or buckets); ' +
              'ask for one field, or send Accept: application/json.',
            { extensions: { code: 'CSV_NEEDS_ONE_LIST' } },
          ),
        ]);
        return response;
      }
      sendCsv(response, rows, Object.keys(answer.data as Row)[0] ?? 'answer');
      return response;
    };
    next();
  };
}
