import { z } from 'zod';
import { isLoopbackHost } from '../lib/env';

const graphqlUrl = (name: string) =>
  z
    .string()
    .url(`${name} must be a URL such as http://127.0.0.1:4001/graphql`)
    .refine((value) => /^https?:\/\//.test(value), { message: `${name} must start with http:// or https://` });

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Where the core subgraph (`npm run serve`) answers. */
  CORE_URL: graphqlUrl('CORE_URL').default('http://127.0.0.1:4001/graphql'),
  /** Where the watchlists subgraph (`npm run serve:watchlists`) answers. */
  WATCHLISTS_URL: graphqlUrl('WATCHLISTS_URL').default('http://127.0.0.1:4002/graphql'),
  /** `open`: any document runs without a key; `keys`: without a key only the dashboard's persisted operations. */
  AUTH_MODE: z.enum(['open', 'keys']).optional(),
  DATABASE_URL: z.string().optional(),
  /** The largest estimated cost of one operation, summed over its subgraph requests. */
  FEDERATION_MAX_COST: z.coerce.number().int().min(1).default(50_000),
  /** The size assumed for a list without `@listSize` (and for each `_entities` fetch). */
  COST_DEFAULT_LIST_SIZE: z.coerce.number().int().min(1).default(100),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

/** The federation gateway's configuration, from the environment. */
export type FederationEnv = z.infer<typeof envSchema> & { AUTH_MODE: 'open' | 'keys' };

/**
 * Parses the federation gateway's variables (empty counts as unset). Without AUTH_MODE it is
 * open only where the core is too: the embedded database on a loopback address.
 * @example const env = parseFederationEnv(process.env);
 */
export function parseFederationEnv(source: NodeJS.ProcessEnv): FederationEnv {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const env = envSchema.parse(present);
  return { ...env, AUTH_MODE: env.AUTH_MODE ?? (!env.DATABASE_URL && isLoopbackHost(env.HOST) ? 'open' : 'keys') };
}
