import { GraphQLError } from 'graphql';

/** Stable machine-readable codes in `errors[].extensions.code`; clients branch on these. */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

/**
 * An error the caller can fix by changing an argument. `argument` names it, as a path
 * such as `filter.price.min`, so a client can point at the offending input.
 * @example throw badUserInput('first must be between 0 and 100, got 500', 'first');
 */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argument } : {}) },
  });
}
