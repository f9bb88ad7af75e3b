import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, rootCause } from '../db/errors';
import { StatementsStoppedError } from '../db/statement-scope';
import { ErrorCode } from '../lib/errors';
import type { GatewayContext } from './context';

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
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

// PostgreSQL SQLSTATE classes that mean "this input cannot be stored or compared" (22xxx:
// data exceptions such as NUL bytes or out-of-range numbers); the caller can fix these.
const INPUT_SQLSTATE = /^22/;

type Kind = 'client' | 'stopped' | 'input' | 'unavailable' | 'internal';

/** The StatementsStoppedError somewhere in an error's chain of causes (Drizzle wraps it). */
function stoppedIn(error: unknown): StatementsStoppedError | undefined {
  for (let current = error, depth = 0; current && depth < 6; depth += 1) {
    if (current instanceof StatementsStoppedError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function classify(formatted: GraphQLFormattedError, error: unknown): { kind: Kind; cause: unknown } {
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && CLIENT_CODES.has(code)) return { kind: 'client', cause: error };
  const stopped = stoppedIn(unwrapResolverError(error));
  if (stopped) return { kind: 'stopped', cause: stopped };
  const cause = rootCause(unwrapResolverError(error));
  const sqlstate = (cause as { code?: unknown } | null)?.code;
  if (typeof sqlstate === 'string' && INPUT_SQLSTATE.test(sqlstate)) return { kind: 'input', cause };
  if (isDatabaseUnavailable(cause)) return { kind: 'unavailable', cause };
  return { kind: 'internal', cause };
}

/**
 * Makes errors safe to send: client errors pass through; an argument the database refused
 * becomes BAD_USER_INPUT; an unreachable database SERVICE_UNAVAILABLE; anything else a generic
 * INTERNAL_SERVER_ERROR. Outside development no PostgreSQL text, SQL or stack reaches the
 * client: the details are in the log under the request's id (see `errorLogPlugin`).
 */
export function createErrorFormatter(exposeDetails: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { kind, cause } = classify(formatted, error);
    const located = { path: formatted.path, locations: formatted.locations };
    switch (kind) {
      case 'client':
        return formatted;
      case 'stopped':
        return {
          message: `The request was stopped and its SQL cancelled: ${(cause as StatementsStoppedError).why}.`,
          ...located,
          extensions: { code: 'REQUEST_STOPPED' },
        };
      case 'input':
        return {
          message: exposeDetails
            ? `The database rejected an argument: ${(cause as Error).message}`
            : 'The database could not use a value of this request: check the arguments and variables you sent. The x-request-id response header identifies the request in the logs.',
          ...located,
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        };
      case 'unavailable':
        return {
          message: 'The database is unavailable; try again shortly.',
          ...located,
          extensions: { code: ErrorCode.SERVICE_UNAVAILABLE },
        };
      case 'internal':
        return exposeDetails
          ? formatted
          : { message: 'Internal server error', ...located, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
    }
  };
}

/** Logs what the client does not see in full, with the request's id: database and internal errors. */
export function errorLogPlugin(logger: Logger): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors as readonly GraphQLError[]) {
            const { kind, cause } = classify(error.toJSON(), error);
            const details = { requestId: contextValue.requestId, path: error.path, err: cause };
            if (kind === 'input') logger.warn(details, 'the database refused a value of the request');
            else if (kind === 'unavailable') logger.warn(details, 'database unavailable');
            else if (kind === 'internal') logger.error(details, 'internal error while resolving');
          }
        },
      };
    },
  };
}

/** GraphQL's "Did you mean ...?" hints, which name fields of the schema. */
const SUGGESTION = / Did you mean [^?]*\?/g;

/**
 * Validation messages suggest field and type names ("Did you mean "ingestRuns"?"). A caller
 * who may not introspect the schema does not get them: they would reveal it bit by bit.
 */
export function suggestionMaskPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (contextValue.audience.policy.introspection || response.body.kind !== 'single') return;
          const { errors } = response.body.singleResult;
          if (!errors) return;
          response.body.singleResult.errors = errors.map((error) => ({
            ...error,
            message: error.message.replace(SUGGESTION, ''),
          }));
        },
      };
    },
  };
}
