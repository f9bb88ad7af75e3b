import { badUserInput } from './errors';

/** A position in an ordered list: the sort key's value and the id that breaks ties. */
export type CursorPosition = { value: string | number; id: number };

/**
 * Encodes a position as an opaque base64url string tagged with the order it belongs to,
 * so a cursor from one ordering is rejected by another instead of silently skipping rows.
 * @example encodeCursor('products:TITLE', { value: 'Apple iPhone', id: 42 })
 */
export function encodeCursor(order: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([order, position.value, position.id])).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor` for `order`; anything else is a BAD_USER_INPUT. */
export function decodeCursor(cursor: string, order: string, argument = 'after'): CursorPosition {
  const invalid = (why: string) =>
    badUserInput(
      `${argument} is not a valid cursor: ${why}. Pass an endCursor from a previous page of the same query.`,
      argument,
    );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it does not decode');
  }
  if (!Array.isArray(decoded) || decoded.length !== 3) throw invalid('it does not decode');
  const [tag, value, id] = decoded as unknown[];
  if (tag !== order) {
    throw invalid(`it belongs to a different ordering (${String(tag)}, expected ${order})`);
  }
  if ((typeof value !== 'string' && typeof value !== 'number') || !Number.isSafeInteger(id)) {
    throw invalid('its position is malformed');
  }
  return { value, id: id as number };
}
