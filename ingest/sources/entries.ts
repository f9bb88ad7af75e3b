/**
 * Registry entries for the HTTP sources (eBay Browse, eBay Insights, Keepa) and the demo
 * source. The HTTP ones are built per run from the environment, with the run's shared cache
 * as OAuth token store and a rate limiter shared through Redis when REDIS_URL is set.
 */
import type { Env } from '../../lib/env';
import { createRateLimiter } from '../http/rate-limiter';
import { type SourceArgs, type SourceEntry, sourceEntry } from '../pipeline/entry';
import { runIngest } from '../pipeline/run';
import type { Source } from '../types';
import { createDemoSource, demoOptionsSchema } from './demo';
import { createEbayBrowseSource } from './ebay/browse';
import { ebayConfigFromEnv, type EbaySourceConfig } from './ebay/connection';
import { createEbayInsightsSource } from './ebay/insights';
import { ebaySearchOptionsSchema, type EbaySearchOptions } from './ebay/options';
import { createKeepaSource, keepaConfigFromEnv, keepaOptionsSchema } from './keepa';
import { argsToOptions, cliOptions } from './source-options';
import { SOURCE_USAGE } from './usage';

const EBAY_ARGS = {
  q: 'string',
  categoryIds: 'string',
  filter: 'list',
  sort: 'string',
  limit: 'string',
  maxItems: 'string',
  details: 'flag',
  incremental: 'flag',
} as const;

function ebayEntry(
  name: string,
  usage: string,
  create: (config: EbaySourceConfig) => Source<EbaySearchOptions>,
): SourceEntry {
  const optionsOf = (args: SourceArgs) => cliOptions(name, ebaySearchOptionsSchema, argsToOptions(args, EBAY_ARGS));
  return {
    usage,
    check: (args) => void optionsOf(args),
    parser: (env: Env) => {
      const source = create(ebayConfigFromEnv(env));
      return (payload) => source.parse(payload);
    },
    scope: (args, env) => create(ebayConfigFromEnv(env)).scope(optionsOf(args)),
    async run(args, env, deps, options) {
      const searchOptions = optionsOf(args);
      const limiter = createRateLimiter({ redisUrl: env.REDIS_URL });
      try {
        return await runIngest(
          deps,
          create(ebayConfigFromEnv(env, { tokenStore: deps.cache, limiter })),
          searchOptions,
          options,
        );
      } finally {
        await limiter.close();
      }
    },
  };
}

export const ebayBrowseEntry = ebayEntry('ebay-browse', SOURCE_USAGE['ebay-browse'], createEbayBrowseSource);

export const ebayInsightsEntry = ebayEntry('ebay-insights', SOURCE_USAGE['ebay-insights'], createEbayInsightsSource);

const keepaOptionsOf = (args: SourceArgs) =>
  cliOptions(
    'keepa',
    keepaOptionsSchema,
    argsToOptions(args, { asins: 'list', domain: 'string', batchSize: 'string', update: 'string', buybox: 'flag' }),
  );

export const keepaEntry: SourceEntry = {
  usage: SOURCE_USAGE.keepa,
  check: (args) => void keepaOptionsOf(args),
  parser: (env) => createKeepaSource(keepaConfigFromEnv(env)).parse,
  scope: (args, env) => createKeepaSource(keepaConfigFromEnv(env)).scope(keepaOptionsOf(args)),
  async run(args, env, deps, options) {
    const keepaOptions = keepaOptionsOf(args);
    const limiter = createRateLimiter({ redisUrl: env.REDIS_URL });
    try {
      return await runIngest(deps, createKeepaSource(keepaConfigFromEnv(env, { limiter })), keepaOptions, options);
    } finally {
      await limiter.close();
    }
  },
};

export const demoEntry = sourceEntry({
  usage: SOURCE_USAGE.demo,
  create: () => createDemoSource(),
  options: (args) =>
    cliOptions(
      'demo',
      demoOptionsSchema,
      argsToOptions(args, {
        size: 'string',
        seed: 'string',
        now: 'string',
        pageSize: 'string',
        snapshots: 'string',
        details: 'flag',
      }),
    ),
});
