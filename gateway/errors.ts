import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, rootCause } from '../db/errors';
import { ErrorCode } from '../lib/errors';

// Codes whose messages are written for clients; anything else is an internal failure.
const CLIENT_CODES = new Set([
  ErrorCode.BAD_USER_INPUT,
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'MAX_DOCUMENT_LENGTH_LIMIT',
  'MAX_TOKENS_LIMIT',
  'MAX_DEPTH_LIMIT',
  'MAX_ALIASES_LIMIT',
  'MAX_DIRECTIVES_LIMIT',
  'MAX_ROOT_FIELDS_LIMIT',
  'MAX_BATCH_SIZE_LIMIT',
  'COST_ESTIMATED_TOO_EXPENSIVE',
]);

// PostgreSQL SQLSTATE classes that mean "this input cannot be stored or compared" (22xxx:
// data exceptions such as NUL bytes or out-of-range numbers); the caller can fix these.
const INPUT_SQLSTATE = /^22/;

/**
 * Makes errors safe to send: client errors pass through; database input rejections become
 * BAD_USER_INPUT; an unreachable database becomes SERVICE_UNAVAILABLE; everything else is
 * logged in full and replaced by a generic message (no stack, no SQL) outside development.
 */
export function createErrorFormatter(logger: Logger, exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) return formatted;

    const cause = rootCause(unwrapResolverError(error));
    const sqlstate = (cause as { code?: unknown } | null)?.code;
    if (typeof sqlstate === 'string' && INPUT_SQLSTATE.test(sqlstate)) {
      return {
        message: `The database rejected an argument: ${(cause as Error).message}`,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.BAD_USER_INPUT },
      };
    }
    if (isDatabaseUnavailable(cause)) {
      logger.warn({ err: cause }, 'database unavailable');
      return {
        message: 'The database is unavailable; try again shortly.',
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
      };
    }
    logger.error({ err: cause, path: formatted.path }, 'internal error while resolving');
    if (exposeDetails) return formatted;
    return {
      message: 'Internal server error',
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
