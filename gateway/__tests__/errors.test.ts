import { GraphQLError } from 'graphql';
import { createErrorFormatter } from '../errors';

const located = { locations: [{ line: 1, column: 3 }], path: ['products'] };

function format(error: unknown, exposeDetails = false) {
  const formatted =
    error instanceof GraphQLError ? error.toJSON() : { message: String((error as Error).message), ...located };
  return createErrorFormatter(exposeDetails)(formatted, error);
}

describe('error formatting', () => {
  it("hides an internal error's message, stack and SQL outside development", () => {
    const error = new Error('relation "secret_table" does not exist: select * from secret_table');
    const formatted = format(new GraphQLError(error.message, { originalError: error, path: ['products'] }));
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['products'],
      locations: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(formatted)).not.toMatch(/secret_table|stack/);
  });

  it('shows the details in development', () => {
    const error = new Error('boom');
    const formatted = format(new GraphQLError('boom', { originalError: error }), true);
    expect(formatted.message).toBe('boom');
  });

  it("turns a PostgreSQL data exception into BAD_USER_INPUT without PostgreSQL's words", () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const wrapped = Object.assign(new Error('Failed query: select ...'), { cause });
    const formatted = format(new GraphQLError(wrapped.message, { originalError: wrapped, path: ['products'] }));
    expect(formatted.extensions?.code).toBe('BAD_USER_INPUT');
    expect(formatted.message).toMatch(/^The database could not use a value of this request/);
    expect(formatted.message).not.toMatch(/select|UTF8|0x00/);
  });

  it("shows PostgreSQL's reason in development", () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const wrapped = Object.assign(new Error('Failed query: select ...'), { cause });
    const formatted = format(new GraphQLError(wrapped.message, { originalError: wrapped, path: ['products'] }), true);
    expect(formatted.message).toBe(
      'The database rejected an argument: invalid byte sequence for encoding "UTF8": 0x00',
    );
  });

  it('turns a refused connection into SERVICE_UNAVAILABLE', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const formatted = format(
      new GraphQLError('x', { originalError: Object.assign(new Error('x'), { cause }), path: ['products'] }),
    );
    expect(formatted).toMatchObject({
      message: 'The database is unavailable; try again shortly.',
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });

  it('passes client errors through unchanged', () => {
    const error = new GraphQLError('first must be between 0 and 100, got 500', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
    });
    expect(format(error)).toEqual(error.toJSON());
  });
});
