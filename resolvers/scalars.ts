import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { ErrorCode } from '../lib/errors';

// RFC 3339 date-time with a mandatory offset: a time without one is ambiguous.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function invalid(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT } });
}

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !RFC3339.test(value)) {
    throw invalid(
      `DateTime must be an RFC 3339 string with an offset such as "2025-11-28T14:05:00Z", got ${JSON.stringify(value)}`,
    );
  }
  // PostgreSQL has no year 0 (1 BC comes before AD 1); such an instant could never be stored.
  if (value.startsWith('0000')) throw invalid(`DateTime ${JSON.stringify(value)} is before the year 1`);
  const date = new Date(value);
  // Date rolls 2026-02-31 over to March; a calendar date that does not exist is an error.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    throw invalid(`DateTime ${JSON.stringify(value)} is not a real date and time`);
  }
  return date;
}

/** RFC 3339 instants in, UTC ISO strings out. */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date-time with offset, e.g. `2025-11-28T14:05:00Z`.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new TypeError(`cannot serialize ${String(value)} as DateTime`);
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.STRING) throw invalid(`DateTime must be a string, got a ${ast.kind} literal`);
    return parseDateTime(ast.value);
  },
});

function parseSafeInt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalid(`SafeInt must be a whole number within ±(2^53 - 1), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Integers up to 2^53 - 1, for totals that outgrow 32-bit `Int`. */
export const SafeInt = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  description: 'A whole number within ±(2^53 - 1).',
  serialize(value) {
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isSafeInteger(number)) {
      throw new TypeError(`cannot serialize ${String(value)} as SafeInt`);
    }
    return number;
  },
  parseValue: parseSafeInt,
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.INT) throw invalid(`SafeInt must be an integer, got a ${ast.kind} literal`);
    return parseSafeInt(Number(ast.value));
  },
});
