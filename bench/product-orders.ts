/**
 * `npm run bench:orders -- [--size small|default|large] [--rounds 7]`, with `DATABASE_URL` for
 * PostgreSQL (a fresh database, dropped afterwards), on an in-memory PGlite without it.
 *
 * What do the sales orders of `products` (UNITS_SOLD, REVENUE, SELL_THROUGH over a window of
 * days, summed from the mart) cost against the plain keyset orders? A page of 24 products is
 * asked through an in-process gateway for each order, first pages and pages 21 deep, alternating
 * orders every round. Reports medians, SQL statements per page, and the ratio to the ID order
 * (one index scan, the baseline) measured in the same run. Asserts no target.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { countStatements } from '../db/query-counter';
import type { SeedSize } from '../db/seed/generate';
import { seedDemoData } from '../db/seed/load';
import { createContext } from '../gateway/context';
import { createGateway } from '../gateway/server';
import { createEntityCache } from '../lib/cache';
import { openTestDatabase } from '../test/support/database';
import { percentile, rotate, runBench } from './support';

const PAGE = `query BenchProductOrder($orderBy: ProductOrder, $after: String) {
  products(orderBy: $orderBy, first: 24, after: $after) { nodes { id title } pageInfo { endCursor } }
}`;

// The demo data's last day: windows end there, as the dashboard's do (its newest sale).
const NOW = new Date('2026-06-30T00:00:00Z');
const endingAt = '2026-06-29T12:00:00Z';

const ORDERS: [string, Record<string, unknown>][] = [
  ['ID', { field: 'ID' }],
  ['PRICE DESC', { field: 'PRICE', direction: 'DESC' }],
  ['UNITS_SOLD 90 d', { field: 'UNITS_SOLD', direction: 'DESC', endingAt }],
  ['UNITS_SOLD 365 d', { field: 'UNITS_SOLD', direction: 'DESC', endingAt, days: 365 }],
  ['REVENUE 90 d (own)', { field: 'REVENUE', direction: 'DESC', endingAt }],
  ['REVENUE 90 d (USD)', { field: 'REVENUE', direction: 'DESC', endingAt, currency: 'USD' }],
  ['REVENUE 365 d (USD)', { field: 'REVENUE', direction: 'DESC', endingAt, currency: 'USD', days: 365 }],
  ['SELL_THROUGH 90 d', { field: 'SELL_THROUGH', direction: 'DESC', endingAt }],
];

async function main() {
  const { values } = parseArgs({
    options: { size: { type: 'string', default: 'default' }, rounds: { type: 'string', default: '7' } },
  });
  const size = values.size as SeedSize;
  const rounds = Number(values.rounds);
  const database = await openTestDatabase(4);
  try {
    const seeding = performance.now();
    await seedDemoData(database.db, { size, now: NOW });
    console.log(
      `seeded ${size} in ${Math.round(performance.now() - seeding)} ms (${database.url ? 'PostgreSQL' : 'PGlite'})`,
    );
    const cache = createEntityCache({ timeoutMs: 100, defaultTtlMs: 300_000 });
    const gateway = await createGateway({
      database,
      cache,
      logger: pino({ level: 'silent' }),
      exposeErrorDetails: true,
    });
    const page = async (orderBy: Record<string, unknown>, after?: string) => {
      const { result, statements } = await countStatements(() =>
        gateway.apollo.executeOperation(
          { query: PAGE, variables: { orderBy, after } },
          { contextValue: createContext({ db: database.db, cache, requestId: 'bench' }) },
        ),
      );
      const body = result.body.kind === 'single' ? result.body.singleResult : undefined;
      const data = body?.data as { products: { pageInfo: { endCursor: string } } } | undefined;
      if (!data || body?.errors)
        throw new Error(`ordering by ${JSON.stringify(orderBy)} failed: ${JSON.stringify(body?.errors)}`);
      return { statements, endCursor: data.products.pageInfo.endCursor };
    };
    // A cursor 20 pages deep per order, found once.
    const deep = new Map<string, string>();
    for (const [label, orderBy] of ORDERS) {
      let after: string | undefined;
      for (let i = 0; i < 20; i += 1) after = (await page(orderBy, after)).endCursor;
      deep.set(label, after ?? '');
    }
    const times = new Map(
      ORDERS.map(([label]) => [label, { first: [] as number[], deep: [] as number[], statements: 0 }]),
    );
    for (let round = 0; round < rounds; round += 1) {
      for (const [label, orderBy] of rotate(ORDERS, round % ORDERS.length)) {
        const measured = times.get(label);
        if (!measured) continue;
        let started = performance.now();
        measured.statements = (await page(orderBy)).statements;
        measured.first.push(performance.now() - started);
        started = performance.now();
        await page(orderBy, deep.get(label));
        measured.deep.push(performance.now() - started);
      }
    }
    const baseline = percentile(times.get('ID')?.first ?? [], 50);
    console.log('order                 page 1    page 21   statements  page 1 / ID');
    for (const [label, measured] of times) {
      const first = percentile(measured.first, 50);
      const row = [
        label.padEnd(20),
        `${first.toFixed(1)} ms`.padStart(9),
        `${percentile(measured.deep, 50).toFixed(1)} ms`.padStart(10),
        String(measured.statements).padStart(12),
        `${(first / baseline).toFixed(1)}x`.padStart(13),
      ];
      console.log(row.join(' '));
    }
    await gateway.apollo.stop();
  } finally {
    await database.close();
  }
}

runBench(main);
