import { createHash } from 'node:crypto';
import type { PageArgs, SortKey } from '../../data/pagination';
import { type CursorPosition, decodeCursor, encodeCursor } from '../../lib/cursor';
import { badUserInput } from '../../lib/errors';
import { parsePageSize } from './scalars';

/**
 * Validates a connection's `first` and `after` for a keyset order: the page size within
 * bounds, and a cursor that belongs to this order.
 * @example parsePaging({ first: 20, after: null }, productSortKey('TITLE'), 20)
 */
export function parsePaging<Row>(
  args: { first?: number | null; after?: string | null },
  sort: SortKey<Row>,
  defaultFirst: number,
): PageArgs<Row> {
  const first = parsePageSize(args.first, defaultFirst);
  const afterCursor = args.after === null || args.after === undefined ? undefined : parseAfter(args.after, sort);
  return { sort, first, afterCursor };
}

function emptyCursor() {
  return badUserInput(
    'after is an empty string: pass the endCursor of a previous page, or leave after out for the first page',
    'after',
  );
}

// An instant as a cursor records it (toISOString), within the years PostgreSQL and Date share.
const ISO_INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a cursor's value is what its ordering's column holds, so SQL can read it back. */
function fitsKind(value: string | number, kind: SortKey<unknown>['kind']): boolean {
  switch (kind) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'text':
      return typeof value === 'string' && !value.includes('\u0000');
    case 'timestamptz': {
      if (typeof value !== 'string') return false;
      const year = Number(ISO_INSTANT.exec(value)?.[1] ?? 0);
      const instant = new Date(value);
      return year >= 1 && !Number.isNaN(instant.getTime()) && instant.toISOString() === value;
    }
  }
}

/** Decodes `after` for a keyset order; an empty, foreign or tampered cursor is a BAD_USER_INPUT. */
function parseAfter<Row>(cursor: string, sort: SortKey<Row>): CursorPosition {
  if (cursor === '') throw emptyCursor();
  const position = decodeCursor(cursor, sort.tag);
  if (!fitsKind(position.value, sort.kind)) {
    throw badUserInput(
      'after is not a valid cursor: its position is malformed. Pass an endCursor from a previous page of the same query.',
      'after',
    );
  }
  return position;
}

/**
 * Statistics pages are positions in a computed list: cursors carry the offset, tagged with
 * a digest of the request so a cursor from another request is refused.
 */
export function statsCursorTag(request: unknown): string {
  return `stats:${createHash('sha1').update(JSON.stringify(request)).digest('base64url').slice(0, 16)}`;
}

/** The cursor of the bucket at `offset` in the list a request tagged `tag` computes. */
export function encodeStatsCursor(tag: string, offset: number): string {
  return encodeCursor(tag, { value: offset, id: offset });
}

/** The offset a statistics page starts at: just past the `after` cursor's bucket, or 0. */
export function decodeStatsCursor(tag: string, cursor: string | null | undefined): number {
  if (cursor === null || cursor === undefined) return 0;
  if (cursor === '') throw emptyCursor();
  const { value } = decodeCursor(cursor, tag);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badUserInput('after is not a valid cursor: its position is malformed', 'after');
  }
  return value + 1;
}
