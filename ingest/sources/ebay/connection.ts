import { createHash } from 'node:crypto';
import { systemClock } from '../../http/clock';
import { SourceRequestError } from '../../http/errors';
import { createRateLimiter, type RateLimiter } from '../../http/rate-limiter';
import {
  type SourceHttpEnv,
  type SourceHttpSettings,
  sourceHttpClient,
  sourceHttpSettingsFromEnv,
} from '../../http/source-http';
import type { FetchContext, RateLimits } from '../../types';
import { createEbayAuth, type TokenStore } from './oauth';
import type { FetchedPage } from './search';
import type { EbayRequestRecord } from './parse';
import { ebayMarketplace } from './marketplaces';

/** Configuration shared by the eBay sources; `ebayConfigFromEnv` fills it from the environment. */
export type EbaySourceConfig = SourceHttpSettings & {
  baseUrl: string;
  clientId?: string;
  clientSecret?: string;
  /** `X-EBAY-C-MARKETPLACE-ID`: EBAY_US, EBAY_DE, EBAY_GB. */
  marketplaceId: string;
  /** Where OAuth tokens are kept between runs and workers (the shared cache). */
  tokenStore?: TokenStore;
  limits?: RateLimits;
  /** eBay's offset cap per result set (10,000); tests lower it to exercise splitting. */
  maxOffset?: number;
  /** How long a Browse listing may be missing from complete searches of its scope before it is ENDED (default 48 h). */
  endUnseenAfterMs?: number;
};

/** eBay's default Browse quota is 5,000 calls a day; a few per second keeps bursts polite. */
export const EBAY_DEFAULT_LIMITS: RateLimits = { requestsPerSecond: 5, burst: 10, dailyBudget: 5_000 };

export type EbayEnv = SourceHttpEnv & {
  EBAY_BASE_URL: string;
  EBAY_CLIENT_ID?: string;
  EBAY_CLIENT_SECRET?: string;
  EBAY_MARKETPLACE_ID: string;
  EBAY_DAILY_BUDGET: number;
  EBAY_END_UNSEEN_AFTER_HOURS: number;
};

/** The eBay source configuration from parsed environment (lib/env.ts). */
export function ebayConfigFromEnv(env: EbayEnv, extra: Partial<EbaySourceConfig> = {}): EbaySourceConfig {
  return {
    baseUrl: env.EBAY_BASE_URL,
    clientId: env.EBAY_CLIENT_ID,
    clientSecret: env.EBAY_CLIENT_SECRET,
    marketplaceId: env.EBAY_MARKETPLACE_ID,
    limits: { ...EBAY_DEFAULT_LIMITS, dailyBudget: env.EBAY_DAILY_BUDGET },
    endUnseenAfterMs: env.EBAY_END_UNSEEN_AFTER_HOURS * 3_600_000,
    ...sourceHttpSettingsFromEnv(env),
    ...extra,
  };
}

/** An authenticated eBay API session for one fetch: pages come back as raw payloads plus parsed JSON. */
export type EbayConnection = {
  marketplace: { code: string; currency: string };
  get(path: string, params: Record<string, string>): Promise<FetchedPage>;
};

/**
 * Opens an eBay session for one source and scope: validates the configuration, shares one
 * token per credential and scope, and limits every request (token mints excepted: they have
 * their own quota) by the source's bucket and daily budget.
 */
export function connectEbay(
  sourceName: string,
  config: EbaySourceConfig,
  scope: string,
  context: FetchContext,
  fallbackLimiter: () => RateLimiter,
): EbayConnection {
  const { clientId, clientSecret } = config;
  if (!clientId || !clientSecret) {
    throw new SourceRequestError('SOURCE_CONFIG', `${sourceName} needs EBAY_CLIENT_ID and EBAY_CLIENT_SECRET`);
  }
  const marketplace = ebayMarketplace(config.marketplaceId);
  const clock = config.clock ?? systemClock;
  const credential = createHash('sha256').update(clientId).digest('hex').slice(0, 12);
  const limits = config.limits ?? EBAY_DEFAULT_LIMITS;
  // Browse and Insights quotas are counted per application, so both sources share the bucket.
  const api = sourceHttpClient(
    sourceName,
    `ebay:${credential}`,
    limits,
    config,
    {},
    config.limiter ?? fallbackLimiter(),
  );
  const identity = sourceHttpClient(`${sourceName} oauth`, '', undefined, config);
  const auth = createEbayAuth(
    { baseUrl: config.baseUrl, clientId, clientSecret, scope, http: identity, store: config.tokenStore, clock },
    context,
  );

  return {
    marketplace,
    async get(path, params) {
      const url = new URL(path.split('/').map(encodeURIComponent).join('/'), config.baseUrl);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const fetchedAt = new Date(clock.now()).toISOString();
      const response = await api.request({
        url,
        headers: { 'x-ebay-c-marketplace-id': config.marketplaceId },
        auth,
        json: true,
        signal: context.signal,
        warn: context.warn,
      });
      const request: EbayRequestRecord = { marketplaceId: config.marketplaceId, fetchedAt, params };
      return {
        payload: {
          endpoint: path,
          request,
          status: response.status,
          contentType: response.contentType,
          body: response.body,
        },
        json: response.json,
      };
    },
  };
}

/** One in-memory limiter per source object when none is injected, created on first use. */
export function lazyLimiter(): () => RateLimiter {
  let limiter: RateLimiter | undefined;
  return () => (limiter ??= createRateLimiter());
}
