import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { sendGraphQLErrors } from './http-errors';

/**
 * Refuses to send an answer larger than `maxBytes`: the client gets RESPONSE_TOO_LARGE (HTTP
 * 400) instead of megabytes it did not mean to ask for. Demand control bounds how large an
 * answer can get before it is computed; this is the backstop on what it came to.
 */
export function responseCap(maxBytes: number): RequestHandler {
  return (request, response, next) => {
    const send = response.send.bind(response);
    response.send = (body?: unknown) => {
      const bytes = typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0;
      if (bytes <= maxBytes) return send(body);
      response.send = send;
      const size = (n: number) => (n < 1_000_000 ? `${(n / 1_000).toFixed(1)} kB` : `${(n / 1_000_000).toFixed(1)} MB`);
      sendGraphQLErrors(request, response, 400, [
        new GraphQLError(
          `The answer is ${size(bytes)}, over the ${size(maxBytes)} an answer may be: ask for fewer items or fields.`,
          { extensions: { code: 'RESPONSE_TOO_LARGE', bytes, maxBytes } },
        ),
      ]);
      return response;
    };
    next();
  };
}
