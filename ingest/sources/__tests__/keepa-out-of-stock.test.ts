import { sql } from 'drizzle-orm';
import { fakeClock } from '../../../test/fakes/clock';
import {
  FAKE_KEEPA_KEY,
  type FakeKeepa,
  fakeKeepaProduct,
  keepaOffersAt,
  startFakeKeepa,
} from '../../../test/fakes/keepa';
import { startTestGateway, type TestGateway } from '../../../test/support/gateway';
import { rows } from '../../../test/support/rows';
import { runIngest } from '../../pipeline/run';
import { createKeepaSource } from '../keepa';

/** What the API says about a listing's price: now, and as NEW_OFFER history. */
type Priced = {
  product: {
    price: { minorUnits: number; currency: string } | null;
    currency: string;
    listPriceHistory: { price: { minorUnits: number } }[];
  };
};
const PRICE = `query ($id: ID!) {
  product(id: $id) { price { minorUnits currency } currency listPriceHistory(kind: [NEW_OFFER]) { price { minorUnits } } }
}`;

const FIRST_SEEN_OUT = 'B0OUTSTCK1';
const LATER_OUT = 'B0OUTSTCK2';
// fakeKeepaProduct's offers: NEW 4899, -1, 4599 and buy box 4999, 4599 over 2026-01-01..03.
const DAY_5 = '2026-01-05T00:00:00Z';
const DAY_6 = '2026-01-06T00:00:00Z';

let gw: TestGateway;
let keepa: FakeKeepa;
const clock = fakeClock('2026-01-05T12:00:00Z');
beforeAll(async () => {
  gw = await startTestGateway();
  keepa = await startFakeKeepa({
    products: [keepaOffersAt(fakeKeepaProduct(FIRST_SEEN_OUT), DAY_5, -1), fakeKeepaProduct(LATER_OUT)],
    now: clock.now,
  });
});
afterAll(async () => {
  await keepa?.close();
  await gw?.stop();
});

/** One Keepa run over both ASINs, a day after the last: each run is the newest observation. */
async function ingestKeepa(): Promise<void> {
  clock.advance(86_400_000);
  const source = createKeepaSource({
    baseUrl: keepa.url,
    apiKey: FAKE_KEEPA_KEY,
    clock,
    limits: { requestsPerSecond: 100, burst: 100 },
  });
  const run = await runIngest({ db: gw.database.db, cache: gw.cache }, source, {
    asins: `${FIRST_SEEN_OUT},${LATER_OUT}`,
  });
  expect(run.status).toBe('SUCCEEDED');
}

/** The product's price over HTTP, found by its ASIN. */
async function priceOf(asin: string): Promise<Priced['product']> {
  const [row] = await rows<{ id: number }>(gw.database.db, sql`select id from products where external_id = ${asin}`);
  if (!row) throw new Error(`${asin} is not stored`);
  const { status, body } = await gw.post<Priced>(PRICE, { id: String(row.id) });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  if (!body.data?.product) throw new Error(`no product ${asin}`);
  return body.data.product;
}

describe('a Keepa listing out of stock (offers ending in -1)', () => {
  it('has no price when first seen out of stock, loses it when it goes out of stock, and gets it back', async () => {
    await ingestKeepa();
    const firstSeen = await priceOf(FIRST_SEEN_OUT);
    expect(firstSeen).toMatchObject({ price: null, currency: 'USD' });
    // The history keeps the prices it had; the -1 points are no observations.
    expect(firstSeen.listPriceHistory.map((point) => point.price.minorUnits)).toEqual([4899, 4599]);
    expect((await priceOf(LATER_OUT)).price).toEqual({ minorUnits: 4599, currency: 'USD' });

    keepa.setProduct(keepaOffersAt(fakeKeepaProduct(LATER_OUT), DAY_5, -1));
    await ingestKeepa();
    const outOfStock = await priceOf(LATER_OUT);
    expect(outOfStock.price).toBeNull();
    expect(outOfStock.listPriceHistory.map((point) => point.price.minorUnits)).toEqual([4899, 4599]);

    keepa.setProduct(keepaOffersAt(keepaOffersAt(fakeKeepaProduct(LATER_OUT), DAY_5, -1), DAY_6, 4299));
    await ingestKeepa();
    const backInStock = await priceOf(LATER_OUT);
    expect(backInStock.price).toEqual({ minorUnits: 4299, currency: 'USD' });
    expect(backInStock.listPriceHistory.map((point) => point.price.minorUnits)).toEqual([4899, 4599, 4299]);
    // The other listing, still out of stock, stays without a price.
    expect((await priceOf(FIRST_SEEN_OUT)).price).toBeNull();
  });
});
