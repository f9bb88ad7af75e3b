import type { RequestHandler } from 'express';
import { limitError, type StaticLimitCheck } from './limits';
import { sendGraphQLErrors } from './http-errors';
import { operationsOf } from './graphql-request';

/**
 * Refuses a request whose documents break a static limit (length, tokens, depth, aliases,
 * directives, root fields) or whose batch is too large, before Apollo parses, validates or
 * runs anything: a refusal costs one parse of a bounded document.
 */
export function operationGuard(check: StaticLimitCheck): RequestHandler {
  return (request, response, next) => {
    const operations = operationsOf(request);
    const { batch } = check.limits;
    if (operations.length > batch) {
      sendGraphQLErrors(request, response, 400, [limitError('batch', operations.length, batch)]);
      return;
    }
    for (const operation of operations) {
      const query = operation && typeof operation === 'object' ? (operation as { query?: unknown }).query : undefined;
      if (typeof query !== 'string') continue;
      const refusal = check.check(query);
      if (refusal) {
        sendGraphQLErrors(request, response, 400, [refusal]);
        return;
      }
    }
    next();
  };
}
