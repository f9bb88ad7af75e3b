import { createHash } from 'node:crypto';
import type { PageArgs, SortKey } from '../../data/pagination';
import { decodeCursor, encodeCursor } from '../../lib/cursor';
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
  const afterCursor = args.after ? decodeCursor(args.after, sort.tag) : undefined;
  return { sort, first, afterCursor };
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
  if (!cursor) return 0;
  const { value } = decodeCursor(cursor, tag);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw badUserInput('after is not a valid cursor: its position is malformed', 'after');
  }
  return value + 1;
}
