/**
 * The baseline of `npm run bench:api`: the least a server can do to answer the dashboard's
 * products page. A bare `node:http` server over a `pg` pool that ignores the GraphQL document
 * and answers POST /graphql with ONE hand-written statement in which PostgreSQL builds the
 * whole JSON answer (lateral joins, json_agg): no parsing, validation, resolvers, batching or
 * serialization in Node. Its `data` must equal Soldgraph's for the same variables (the bench
 * checks that field by field), so it reads the same tables in the same orders: products by id,
 * images in gallery order, sales newest first, per-currency summaries by currency, money as
 * exact decimals of each currency's digits, instants as UTC ISO strings.
 *
 * `startRawServer(databaseUrl, poolMax)` starts it on 127.0.0.1, port 0. Run as a script
 * (`node --import tsx bench/raw-server.ts`, with DATABASE_URL) it prints its URL and stops on
 * SIGTERM or SIGINT; the bench runs it so, in a child process whose CPU it can read.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { parseEnv } from '../lib/env';
import { currencyExponent } from '../lib/money';

/** The variables of bench/api.ts's document that change the answer. */
type Variables = { first: number; marketplace: string; soldFrom: string };

/**
 * Digits of every currency that has other than two (JPY 0, BHD 3), from the runtime's ICU data
 * as lib/money reads them: PostgreSQL has no such table, and every other currency has two.
 */
const NON_TWO_DIGIT_CURRENCIES = JSON.stringify(
  Object.fromEntries(
    Intl.supportedValuesOf('currency')
      .map((currency) => [currency, currencyExponent(currency)] as const)
      .filter(([, digits]) => digits !== 2),
  ),
);

/** `{ amount, currency }` of a Money: minor units as an exact decimal of the currency's digits. */
function money(minorUnits: string, currency: string): string {
  const digits = `coalesce(($4::jsonb ->> ${currency})::int, 2)`;
  // round(numeric, n) keeps exactly n decimals: 1250 USD -> 12.50, 129800 JPY -> 129800.
  return `json_build_object('amount', round(${minorUnits} / 10.0 ^ ${digits}, ${digits})::text, 'currency', ${currency})`;
}

/** $1 first, $2 marketplace code, $3 start of the sales summary's period, $4 currency digits. */
const PRODUCTS_PAGE = `
  select json_build_object('data', json_build_object('products', json_build_object('nodes', coalesce(json_agg(
           json_build_object(
             'id', p.id::text,
             'title', p.title,
             'condition', p.condition,
             'price', case when p.price_minor is not null then ${money('p.price_minor', 'p.currency')} end,
             'marketplace', json_build_object('code', m.code, 'name', m.name, 'defaultCurrency', m.default_currency),
             'images', gallery.images,
             'sales', json_build_object('nodes', recent.sales),
             'salesSummary', summary.currencies
           ) order by p.id), '[]'))))::text as answer
  from (select * from products
        where marketplace_id = (select id from marketplaces where code = $2)
        order by id limit $1) p
  join marketplaces m on m.id = p.marketplace_id
  cross join lateral (
    select coalesce(json_agg(json_build_object('url', i.url) order by i.position, i.id), '[]') as images
    from (select url, position, id from images where product_id = p.id order by position, id limit 3) i
  ) gallery
  cross join lateral (
    select coalesce(json_agg(json_build_object(
             'soldAt', to_char(s.sold_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'price', ${money('s.unit_price_minor', 's.currency')}
           ) order by s.sold_at desc, s.id desc), '[]') as sales
    from (select id, sold_at, unit_price_minor, currency from sales
          where product_id = p.id order by sold_at desc, id desc limit 10) s
  ) recent
  cross join lateral (
    select coalesce(json_agg(json_build_object(
             'currency', t.currency,
             'units', t.units,
             'revenue', ${money('t.revenue', 't.currency')}
           ) order by t.currency), '[]') as currencies
    from (select currency, sum(quantity) as units, sum(unit_price_minor * quantity) as revenue from sales
          where product_id = p.id and sold_at >= $3 group by currency) t
  ) summary`;

/** The variables of a request body, or a message saying what is wrong with them. */
function readVariables(body: string): Variables | string {
  let variables: Partial<Variables> | undefined;
  try {
    variables = (JSON.parse(body) as { variables?: Partial<Variables> }).variables;
  } catch {
    return 'the body is not JSON';
  }
  const { first, marketplace, soldFrom } = variables ?? {};
  if (!Number.isInteger(first) || typeof marketplace !== 'string' || typeof soldFrom !== 'string') {
    return 'variables must hold first (an integer), marketplace and soldFrom (strings)';
  }
  return { first: first as number, marketplace, soldFrom };
}

function reply(response: ServerResponse, status: number, body: string): void {
  // One statement per answer, said as the gateway says it, so the bench reads both alike.
  response.writeHead(status, { 'content-type': 'application/json', 'x-sql-statements': status === 200 ? '1' : '0' });
  response.end(body);
}

async function answer(pool: Pool, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'POST' || request.url !== '/graphql') {
    reply(response, 404, JSON.stringify({ errors: [{ message: 'POST /graphql only' }] }));
    return;
  }
  let body = '';
  for await (const chunk of request) body += String(chunk);
  const variables = readVariables(body);
  if (typeof variables === 'string') {
    reply(response, 400, JSON.stringify({ errors: [{ message: variables }] }));
    return;
  }
  // Named: each connection plans the statement once, as a server that cared for speed would.
  const { rows } = await pool.query<{ answer: string }>({
    name: 'bench-api-products-page',
    text: PRODUCTS_PAGE,
    values: [variables.first, variables.marketplace, variables.soldFrom, NON_TWO_DIGIT_CURRENCIES],
  });
  reply(response, 200, rows[0]?.answer ?? '{"data":null}');
}

/** Starts the raw server on 127.0.0.1 at a free port; `close` stops it and its pool. */
export async function startRawServer(
  databaseUrl: string,
  poolMax: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: poolMax });
  const server = createServer((request, response) => {
    answer(pool, request, response).catch((error: unknown) => {
      reply(response, 500, JSON.stringify({ errors: [{ message: String(error) }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

async function main(): Promise<void> {
  const env = parseEnv();
  if (!env.DATABASE_URL) throw new Error('set DATABASE_URL to the PostgreSQL database the gateway reads');
  // The gateway's pool size: both sides get as many connections.
  const server = await startRawServer(env.DATABASE_URL, env.DATABASE_POOL_MAX);
  console.log(`Raw server: ${server.url}/graphql`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
