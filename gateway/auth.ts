import type { Request, RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { hashApiKey, looksLikeApiKey } from '../data/api-keys';
import type { Role } from '../lib/roles';
import { sendGraphQLErrors } from './http-errors';
import { operationsOf } from './graphql-request';
import { type Audience, openAudience, type Policies } from './policy';
import { persistedHashOf, type Safelist } from './safelist';

/**
 * `open`: a request without a key runs as admin (development, and the embedded default on a
 * loopback address). `keys`: only the dashboard's safelisted operations run without a key;
 * everything else needs one (production).
 */
export type AuthMode = 'open' | 'keys';

/** Finds a live key by its hash: the key's id and role, or undefined when unknown or revoked. */
export type KeyLookup = (hash: string) => Promise<{ id: number; role: Role } | undefined>;

/** How long a key's lookup is remembered: a revoked key stops working within this. */
export const KEY_CACHE_MS = 30_000;

const KEYS_REMEMBERED = 10_000;

/** The key a request carries: `Authorization: Bearer <key>`, or `x-api-key: <key>`. */
function keyOf(request: Request): string | undefined {
  const authorization = request.header('authorization');
  if (authorization) return /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1] ?? authorization.trim();
  return request.header('x-api-key')?.trim();
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED' } });
}

/** Remembers key lookups (misses too, so a flood of bad keys costs no queries) for `rememberMs`. */
function rememberedLookup(lookup: KeyLookup, rememberMs: number, now: () => number): KeyLookup {
  const remembered = new Map<string, { value: Awaited<ReturnType<KeyLookup>>; until: number }>();
  return async (hash) => {
    const known = remembered.get(hash);
    if (known && known.until > now()) return known.value;
    const value = await lookup(hash);
    if (remembered.size >= KEYS_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
    remembered.set(hash, { value, until: now() + rememberMs });
    return value;
  };
}

/**
 * Decides who each GraphQL request is (its audience): the role of its API key; the dashboard
 * for the dashboard's safelisted operations; admin in open mode. In keys mode a request with
 * neither is refused with UNAUTHENTICATED (HTTP 401), as is an unknown or revoked key.
 */
export function authenticate(options: {
  mode: AuthMode;
  policies: Policies;
  safelist: Safelist;
  lookup: KeyLookup;
  /** How long a lookup is remembered (KEY_CACHE_MS by default). */
  rememberMs?: number;
  now?: () => number;
}): RequestHandler {
  const lookup = rememberedLookup(options.lookup, options.rememberMs ?? KEY_CACHE_MS, options.now ?? Date.now);
  const { policies, safelist } = options;
  return async (request, response, next) => {
    const ip = request.ip ?? 'unknown';
    const key = keyOf(request);
    let audience: Audience;
    if (key !== undefined) {
      const found = looksLikeApiKey(key) ? await lookup(hashApiKey(key)) : undefined;
      if (!found) {
        sendGraphQLErrors(request, response, 401, [
          unauthenticated(
            'The API key is not valid: it is unknown, revoked or mistyped. Keys look like sg_ and 43 characters.',
          ),
        ]);
        return;
      }
      audience = { role: found.role, policy: policies[found.role], keyId: found.id, principal: `key:${found.id}` };
    } else if (operationsOf(request).every((operation) => safelist.has(persistedHashOf(operation) ?? ''))) {
      audience = { role: 'dashboard', policy: policies.dashboard, keyId: null, principal: `ip:${ip}` };
    } else if (options.mode === 'open') {
      audience = openAudience(policies, `ip:${ip}`);
    } else {
      sendGraphQLErrors(request, response, 401, [
        unauthenticated(
          'An API key is needed for this operation: send "Authorization: Bearer <key>". Operators mint keys with npm run keys -- create.',
        ),
      ]);
      return;
    }
    response.locals.audience = audience;
    response.locals.log.role = audience.role;
    next();
  };
}
