/**
 * A value as JSON text that a jsonb column accepts. jsonb refuses the `\u0000` escape that
 * JSON.stringify writes for NUL characters (a UTF-16 file read as UTF-8 is full of them), so
 * each becomes the visible text `\u0000` instead of failing the statement.
 * @example jsonbText({ reason: 'bad\u0000byte' }) // '{"reason":"bad\\\\u0000byte"}'
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value).replace(/\\u0000/g, '\\\\u0000');
}
