import { createHash } from 'node:crypto';
import type { AuthProvider, HttpClient } from '../../http/client';
import { type Clock, systemClock } from '../../http/clock';
import { SourceRequestError } from '../../http/errors';

/** Where minted tokens live between runs and workers: the shared Keyv cache (lib/cache.ts) fits. */
export type TokenStore = {
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
};

export const EBAY_API_SCOPE = 'https://api.ebay.com/oauth/api_scope';
export const EBAY_INSIGHTS_SCOPE = 'https://api.ebay.com/oauth/api_scope/buy.marketplace.insights';

export type EbayTokenOptions = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  http: HttpClient;
  store?: TokenStore;
  clock?: Clock;
  /** Tokens are dropped this long before `expires_in` runs out, so none expires mid-run. */
  marginMs?: number;
};

type CachedToken = { accessToken: string; expiresAt: number };

/** Signals and warnings for the token request; a token is shared by every request of a run. */
export type EbayAuth = AuthProvider & {
  /** Tokens this provider minted (eBay allows about 1,000 client-credentials mints a day). */
  readonly mints: number;
};

/**
 * eBay's OAuth client-credentials grant (`POST /identity/v1/oauth2/token`) as an AuthProvider:
 * one mint per scope and credential until shortly before `expires_in`, cached in `store` so
 * restarts and other workers reuse it; `invalidate` (after a 401) forces one new mint.
 * @example
 *   const auth = createEbayAuth({ baseUrl, clientId, clientSecret, scope: EBAY_API_SCOPE, http, store: cache });
 *   await http.request({ url, auth, json: true, signal, warn });
 */
export function createEbayAuth(
  options: EbayTokenOptions,
  context: { warn(message: string, code?: string): void },
): EbayAuth {
  const clock = options.clock ?? systemClock;
  const marginMs = options.marginMs ?? 5 * 60_000;
  // The key names the credential by a hash: the secret never leaves this module.
  const credential = createHash('sha256')
    .update(`${options.baseUrl}\n${options.clientId}\n${options.clientSecret}\n${options.scope}`)
    .digest('hex')
    .slice(0, 16);
  const storeKey = `ebay:oauth:${credential}`;
  let current: CachedToken | undefined;
  let minting: Promise<CachedToken> | undefined;
  let mints = 0;

  async function mint(signal: AbortSignal): Promise<CachedToken> {
    const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');
    const response = await options.http.request({
      url: new URL('/identity/v1/oauth2/token', options.baseUrl),
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: options.scope }).toString(),
      json: true,
      signal,
      warn: context.warn,
    });
    const body = response.json as { access_token?: unknown; expires_in?: unknown } | null;
    if (!body || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new SourceRequestError(
        'SOURCE_RESPONSE_INVALID',
        'eBay token endpoint answered without access_token and expires_in',
      );
    }
    mints += 1;
    const token = { accessToken: body.access_token, expiresAt: clock.now() + body.expires_in * 1000 - marginMs };
    const ttlMs = token.expiresAt - clock.now();
    if (options.store && ttlMs > 0) await options.store.set(storeKey, token, ttlMs);
    return token;
  }

  async function valid(signal: AbortSignal): Promise<CachedToken> {
    if (current && current.expiresAt > clock.now()) return current;
    const stored = await options.store?.get<CachedToken>(storeKey);
    if (stored && typeof stored.accessToken === 'string' && stored.expiresAt > clock.now()) {
      current = stored;
      return stored;
    }
    // Concurrent requests share one mint instead of each spending one of the day's thousand.
    minting ??= mint(signal).finally(() => {
      minting = undefined;
    });
    current = await minting;
    return current;
  }

  return {
    get mints() {
      return mints;
    },
    async authorization(signal) {
      return `Bearer ${(await valid(signal)).accessToken}`;
    },
    async invalidate(rejected) {
      if (current && `Bearer ${current.accessToken}` === rejected) current = undefined;
      const stored = await options.store?.get<CachedToken>(storeKey);
      if (stored && `Bearer ${stored.accessToken}` === rejected) await options.store?.delete(storeKey);
    },
  };
}

/** A process-local token store, for when no shared cache is configured. */
export function memoryTokenStore(clock: { now(): number } = systemClock): TokenStore {
  const entries = new Map<string, { value: unknown; until: number }>();
  return {
    async get<T>(key: string) {
      const entry = entries.get(key);
      if (!entry || entry.until <= clock.now()) return undefined;
      return entry.value as T;
    },
    async set(key, value, ttlMs = Number.POSITIVE_INFINITY) {
      entries.set(key, { value, until: clock.now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}
