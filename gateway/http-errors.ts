import type { GraphQLError } from 'graphql';
import type { Request, Response } from 'express';
import type { RequestLog } from './context';

const GRAPHQL_RESPONSE = 'application/graphql-response+json; charset=utf-8';
const JSON_RESPONSE = 'application/json; charset=utf-8';

/**
 * Answers a request with GraphQL errors in the shape GraphQL over HTTP prescribes, for refusals
 * made before Apollo sees the request: `application/graphql-response+json` when the client
 * accepts it (with the 4xx status), plain JSON otherwise. `extensions.http` is for the server only.
 */
export function sendGraphQLErrors(request: Request, response: Response, status: number, errors: GraphQLError[]): void {
  // JSON first: a client that states no preference (or */*) gets plain JSON, as Apollo answers it.
  const log = response.locals.log as RequestLog | undefined;
  if (log) log.errorCodes = errors.map((error) => String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR'));
  const accepts = request.accepts(['application/json', 'application/graphql-response+json']);
  response
    .status(status)
    .type(accepts === 'application/graphql-response+json' ? GRAPHQL_RESPONSE : JSON_RESPONSE)
    .send(
      JSON.stringify({
        errors: errors.map((error) => {
          const { http: _http, ...extensions } = error.extensions;
          return { message: error.message, extensions };
        }),
      }),
    );
}
