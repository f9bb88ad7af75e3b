import { sql } from 'drizzle-orm';
import { startTestGateway, type TestGateway } from '../../test/support/gateway';
import { rows } from '../../test/support/rows';
import { clearVerdict, recordVerdict } from '../../db/product-links';

type Compared = {
  original: { minorUnits: number; currency: string };
  converted: { minorUnits: number; currency: string } | null;
  at: string;
  rateDay: string | null;
};
type Link = {
  product: { id: string; marketplace: { code: string } };
  confidence: number;
  matchedBy: string[];
  askingPrice: Compared | null;
  lastSale: Compared | null;
};

const LINKS = `query ($id: ID!, $currency: String, $min: Float, $first: Int) {
  product(id: $id) {
    sameItemElsewhere(currency: $currency, minConfidence: $min, first: $first) {
      product { id marketplace { code } }
      confidence matchedBy
      askingPrice { original { minorUnits currency } converted { minorUnits currency } at rateDay }
      lastSale { original { minorUnits currency } converted { minorUnits currency } at rateDay }
    }
  }
}`;

let gw: TestGateway;
/** Fixture listings by name: one item on four marketplaces, told apart by their identifiers. */
const ids: Record<string, number> = {};

async function links(id: number, variables: Record<string, unknown> = {}): Promise<Link[]> {
  const { body } = await gw.execute<{ product: { sameItemElsewhere: Link[] } }>(LINKS, { id, ...variables });
  expect(body.errors).toBeUndefined();
  return body.data?.product.sameItemElsewhere ?? [];
}

const byName = (found: Link[]) =>
  Object.fromEntries(
    found.map((link) => [
      Object.keys(ids).find((name) => String(ids[name]) === link.product.id) ?? link.product.id,
      link,
    ]),
  );

beforeAll(async () => {
  gw = await startTestGateway();
  type Fields = {
    gtin?: string;
    epid?: string;
    mpn?: string;
    brand?: string;
    externalId?: string;
    /** Null: out of stock, no current price. */
    price: number | null;
    currency: string;
  };
  const listing = async (name: string, marketplace: string, fields: Fields) => {
    const [row] = await rows<{ id: number }>(
      gw.database.db,
      sql`insert into products (marketplace_id, external_id, title, brand, gtin, mpn, epid, price_minor, currency, last_seen_at)
          values ((select id from marketplaces where code = ${marketplace}), ${fields.externalId ?? `links-${name}`},
                  ${`Links fixture ${name}`}, ${fields.brand ?? null}, ${fields.gtin ?? null}, ${fields.mpn ?? null},
                  ${fields.epid ?? null}, ${fields.price}, ${fields.currency}, '2026-06-01T12:00:00Z')
          returning id`,
    );
    ids[name] = Number(row?.id);
  };
  await listing('us', 'ebay-us', {
    gtin: '00012345678905',
    epid: '123456',
    mpn: 'AB-1',
    brand: 'Acme',
    price: 10000,
    currency: 'USD',
  });
  await listing('uk', 'ebay-uk', { gtin: '00012345678905', mpn: 'ab-1', brand: 'ACME', price: 7900, currency: 'GBP' });
  await listing('de', 'ebay-de', { epid: '123456', price: 9500, currency: 'EUR' });
  await listing('amazonUs', 'amazon-us', {
    mpn: 'AB-1',
    brand: 'acme',
    externalId: 'B0LINKS001',
    price: 9900,
    currency: 'USD',
  });
  await listing('amazonJp', 'amazon-jp', { externalId: 'B0LINKS001', price: 1500000, currency: 'JPY' });
  await listing('sameSite', 'ebay-us', { gtin: '00012345678905', price: 9000, currency: 'USD' });
  await listing('stranger', 'amazon-jp', { price: 100, currency: 'JPY' });
  // Another item, out of stock on Amazon.
  await listing('inStock', 'ebay-us', { gtin: '00098765432109', price: 2500, currency: 'USD' });
  await listing('outOfStock', 'amazon-us', { gtin: '00098765432109', price: null, currency: 'USD' });
  await gw.database.db
    .execute(sql`insert into sales (product_id, source_key, sold_at, unit_price_minor, currency, quantity)
    values (${ids.uk}, 'links-uk-1', '2026-05-20T09:00:00Z', 7500, 'GBP', 1),
           (${ids.uk}, 'links-uk-2', '2026-05-28T09:00:00Z', 7700, 'GBP', 1)`);
});
afterAll(() => gw.stop());

describe('Product.sameItemElsewhere', () => {
  it('links listings on other marketplaces by GTIN, ePID, ASIN and MPN with brand, with a confidence', async () => {
    const found = byName(await links(ids.us as number, { min: 0 }));
    expect(Object.keys(found).sort()).toEqual(['amazonUs', 'de', 'uk']);
    expect(found.uk?.matchedBy).toEqual(['GTIN', 'MPN_BRAND']);
    expect(found.uk?.confidence).toBeCloseTo(1 - 0.05 * 0.4, 10);
    expect(found.de?.matchedBy).toEqual(['EPID']);
    expect(found.de?.confidence).toBeCloseTo(0.9, 10);
    expect(found.amazonUs?.matchedBy).toEqual(['MPN_BRAND']);
    expect(found.amazonUs?.confidence).toBeCloseTo(0.6, 10);
    // Most confident first; the same marketplace's listing with the same GTIN is not "elsewhere".
    const order = await links(ids.us as number, { min: 0 });
    expect(order.map((link) => link.confidence)).toEqual(
      [...order.map((link) => link.confidence)].sort((a, b) => b - a),
    );
    const asin = byName(await links(ids.amazonUs as number, { min: 0 }));
    expect(asin.amazonJp?.matchedBy).toEqual(['ASIN']);
    expect(await links(ids.stranger as number, { min: 0 })).toEqual([]);
  });

  it('gives a listing without a current price (out of stock) no asking price', async () => {
    const [link, ...more] = await links(ids.inStock as number);
    expect(more).toEqual([]);
    expect(link?.product.id).toBe(String(ids.outOfStock));
    expect(link?.askingPrice).toBeNull();
    const [back] = await links(ids.outOfStock as number);
    expect(back?.askingPrice?.original).toEqual({ minorUnits: 2500, currency: 'USD' });
  });

  it('leaves out links below minConfidence', async () => {
    expect(Object.keys(byName(await links(ids.us as number, { min: 0.85 }))).sort()).toEqual(['de', 'uk']);
    const { body } = await gw.execute(LINKS, { id: ids.us, min: 1.5 });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('converts prices at the rates of the day they were seen or paid, and says which day', async () => {
    const [uk] = (await links(ids.us as number)).filter((link) => link.product.id === String(ids.uk));
    const rate = async (day: string) => {
      const [row] = await rows<{ factor: number }>(
        gw.database.db,
        sql`select (u.minor_per_usd / g.minor_per_usd)::float8 as factor from exchange_rates u join exchange_rates g
            on g.day = u.day and g.currency = 'GBP' where u.currency = 'USD' and u.day = ${day}::date`,
      );
      return Number(row?.factor);
    };
    expect(uk?.askingPrice?.original).toEqual({ minorUnits: 7900, currency: 'GBP' });
    expect(uk?.askingPrice?.rateDay).toBe('2026-06-01');
    expect(uk?.askingPrice?.converted).toEqual({
      minorUnits: Math.round(7900 * (await rate('2026-06-01'))),
      currency: 'USD',
    });
    // The newest sale, converted at its own day's rate.
    expect(uk?.lastSale?.original).toEqual({ minorUnits: 7700, currency: 'GBP' });
    expect(uk?.lastSale?.at).toBe('2026-05-28T09:00:00.000Z');
    expect(uk?.lastSale?.rateDay).toBe('2026-05-28');
    expect(uk?.lastSale?.converted?.minorUnits).toBe(Math.round(7700 * (await rate('2026-05-28'))));
    // A currency without rates keeps the originals and says it could not convert.
    const [chf] = (await links(ids.us as number, { currency: 'CHF' })).filter(
      (link) => link.product.id === String(ids.uk),
    );
    expect(chf?.askingPrice?.converted).toBeNull();
    expect(chf?.askingPrice?.rateDay).toBeNull();
    expect(chf?.askingPrice?.original.minorUnits).toBe(7900);
  });

  it("follows an operator's verdicts over the identifiers", async () => {
    await gw.database.db.execute(recordVerdict(ids.uk as number, ids.us as number, 'DIFFERENT'));
    await gw.database.db.execute(recordVerdict(ids.stranger as number, ids.us as number, 'SAME'));
    try {
      const found = byName(await links(ids.us as number, { min: 0 }));
      expect(found.uk).toBeUndefined();
      expect(found.stranger?.matchedBy).toEqual(['MANUAL']);
      expect(found.stranger?.confidence).toBe(1);
    } finally {
      await gw.database.db.execute(clearVerdict(ids.uk as number, ids.us as number));
      await gw.database.db.execute(clearVerdict(ids.us as number, ids.stranger as number));
    }
    expect(byName(await links(ids.us as number, { min: 0 })).uk?.matchedBy).toEqual(['GTIN', 'MPN_BRAND']);
  });

  it('links the demo data by its shared GTINs, as an independent query finds them', async () => {
    const [sample] = await rows<{ id: number; others: number }>(
      gw.database.db,
      sql`select p.id, count(distinct o.id)::int as others from products p
          join products o on o.gtin = p.gtin and o.marketplace_id <> p.marketplace_id
          where p.external_id not like 'links-%' and o.external_id not like 'links-%'
          group by p.id having count(distinct o.id) between 1 and 50 order by count(distinct o.id) desc, p.id limit 1`,
    );
    if (!sample) throw new Error('the demo data shares no GTIN across marketplaces');
    const found = await links(sample.id, { first: 50, min: 0.95 });
    expect(found.filter((link) => link.matchedBy.includes('GTIN'))).toHaveLength(sample.others);
  });
});
