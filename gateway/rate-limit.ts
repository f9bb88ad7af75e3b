import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import type { TokenBuckets } from '../lib/token-buckets';
import { sendGraphQLErrors } from './http-errors';
import type { Audience } from './policy';

/**
 * Limits each caller (its API key, or its IP without one) to its role's requests per minute:
 * a token bucket refilled at that rate, holding ten seconds' worth for bursts, shared through
 * Redis when configured. Every answer says where the caller stands (`RateLimit-Policy`,
 * `RateLimit`, IETF draft); one over the limit gets HTTP 429 with `Retry-After` and RATE_LIMITED.
 */
export function rateLimit(buckets: TokenBuckets, now: () => number = Date.now): RequestHandler {
  return async (request, response, next) => {
    const audience = response.locals.audience as Audience;
    const perMinute = audience.policy.requestsPerMinute;
    const limits = { requestsPerSecond: perMinute / 60, burst: Math.max(1, Math.ceil(perMinute / 6)) };
    const take = await buckets.take(`gateway:${audience.principal}`, limits, now());
    response.setHeader('RateLimit-Policy', `"${audience.role}";q=${perMinute};w=60`);
    if ('granted' in take && take.granted) {
      const refillSeconds = Math.ceil((limits.burst - take.remaining) / limits.requestsPerSecond);
      response.setHeader('RateLimit', `"${audience.role}";r=${take.remaining};t=${refillSeconds}`);
      next();
      return;
    }
    const waitSeconds = Math.max(1, Math.ceil(('waitMs' in take ? take.waitMs : 60_000) / 1000));
    response.setHeader('Retry-After', String(waitSeconds));
    response.setHeader('RateLimit', `"${audience.role}";r=0;t=${waitSeconds}`);
    const who = audience.keyId === null ? 'this address' : 'this API key';
    sendGraphQLErrors(request, response, 429, [
      new GraphQLError(
        `Too many requests: ${who} may make ${perMinute} a minute as ${audience.role}. Try again in ${waitSeconds} s.`,
        { extensions: { code: 'RATE_LIMITED', retryAfterSeconds: waitSeconds } },
      ),
    ]);
  };
}
