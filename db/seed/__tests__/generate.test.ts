import { isValidGtin } from '../../../lib/reference';
import { type DemoData, type DemoProduct, generateDemoData } from '../generate';
import { Random, zipfTable } from '../random';

const NOW = new Date('2026-11-22T12:00:00Z');
const SEED = 20261122;

function firstProducts(data: DemoData, n: number): DemoProduct[] {
  const out: DemoProduct[] = [];
  for (const product of data.products()) {
    out.push(product);
    if (out.length === n) break;
  }
  return out;
}

function allProducts(data: DemoData): DemoProduct[] {
  return [...data.products()];
}

describe('Random', () => {
  it('repeats its sequence for the same seed and stays in range', () => {
    const a = new Random(42);
    const b = new Random(42);
    for (let i = 0; i < 1_000; i += 1) {
      const x = a.next();
      expect(b.next()).toBe(x);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = a.int(3, 7);
      b.int(3, 7);
      expect(k).toBeGreaterThanOrEqual(3);
      expect(k).toBeLessThanOrEqual(7);
    }
    expect(new Random(43).next()).not.toBe(new Random(42).next());
  });

  it('samples a Zipf law with rank 1 the most likely', () => {
    const rng = new Random(7);
    const table = zipfTable(100, 1.5);
    const counts = new Array<number>(101).fill(0);
    for (let i = 0; i < 10_000; i += 1) {
      const k = rng.zipf(table);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts[1] ?? 0).toBeGreaterThan(counts[2] ?? 0);
    expect(counts[2] ?? 0).toBeGreaterThan(counts[10] ?? 0);
  });
});

describe('generateDemoData', () => {
  const small = generateDemoData({ size: 'small', seed: SEED, now: NOW });
  const products = allProducts(small);

  it('is deterministic for the same seed and now', () => {
    const again = generateDemoData({ size: 'small', seed: SEED, now: NOW });
    expect(again.marketplaces).toEqual(small.marketplaces);
    expect(again.categories).toEqual(small.categories);
    expect(firstProducts(again, 50)).toEqual(products.slice(0, 50));
    // products() restarts the same stream on every call.
    expect(firstProducts(small, 5)).toEqual(products.slice(0, 5));
  });

  it('differs for a different seed', () => {
    const other = firstProducts(generateDemoData({ size: 'small', seed: SEED + 1, now: NOW }), 20);
    expect(other.map((p) => p.externalId)).not.toEqual(products.slice(0, 20).map((p) => p.externalId));
    expect(other.map((p) => p.title)).not.toEqual(products.slice(0, 20).map((p) => p.title));
  });

  it('keeps the same listings for a different now, only shifting dates', () => {
    const later = firstProducts(
      generateDemoData({ size: 'small', seed: SEED, now: new Date('2027-03-01T00:00:00Z') }),
      50,
    );
    const base = products.slice(0, 50);
    expect(later.map((p) => [p.externalId, p.title, p.sales.length])).toEqual(
      base.map((p) => [p.externalId, p.title, p.sales.length]),
    );
  });

  it('builds a three-level category tree of 30-60 nodes per marketplace', () => {
    for (const marketplace of small.marketplaces) {
      const tree = small.categories.filter((c) => c.marketplaceCode === marketplace.code);
      expect(tree.length).toBeGreaterThanOrEqual(30);
      expect(tree.length).toBeLessThanOrEqual(60);
      expect(new Set(tree.map((c) => c.externalId)).size).toBe(tree.length);
      for (const category of tree) {
        expect(category.externalId).toMatch(/^\d+$/);
        if (category.parentIndex === null) {
          expect(category.depth).toBe(0);
        } else {
          const parent = small.categories[category.parentIndex];
          expect(parent?.marketplaceCode).toBe(marketplace.code);
          expect(parent?.depth).toBe(category.depth - 1);
          expect(category.parentIndex).toBeLessThan(category.index);
        }
      }
    }
  });

  it('produces listings that obey the schema invariants', () => {
    expect(products).toHaveLength(small.productCount);
    const keys = new Set<string>();
    for (const product of products) {
      const category = small.categories[product.categoryIndex];
      expect(category?.depth).toBe(2);
      expect(category?.marketplaceCode).toBe(product.marketplaceCode);

      const key = `${product.marketplaceCode}:${product.externalId}`;
      expect(keys.has(key)).toBe(false);
      keys.add(key);
      if (product.marketplaceCode.startsWith('ebay')) expect(product.externalId).toMatch(/^\d{12}$/);
      if (product.marketplaceCode.startsWith('amazon')) expect(product.externalId).toMatch(/^B0[0-9A-Z]{8}$/);
      if (product.marketplaceCode === 'etsy') expect(product.externalId).toMatch(/^\d{10}$/);
      expect(product.url).toContain(product.externalId);

      if (product.gtin !== null) {
        expect(product.gtin).toMatch(/^\d{14}$/);
        expect(isValidGtin(product.gtin)).toBe(true);
      }
      expect(Number.isSafeInteger(product.priceMinor)).toBe(true);
      expect(product.priceMinor).toBeGreaterThan(0);
      expect(product.firstSeenAt.getTime()).toBeLessThanOrEqual(product.lastSeenAt.getTime());
      expect(product.lastSeenAt.getTime()).toBeLessThanOrEqual(NOW.getTime());

      expect(product.images.length).toBeGreaterThanOrEqual(1);
      expect(product.images.length).toBeLessThanOrEqual(12);
      product.images.forEach((image, position) => {
        expect(image.position).toBe(position);
        expect(image.url).toBe(
          `https://images.example.com/${product.marketplaceCode}/${product.externalId}/${position}.jpg`,
        );
        if (image.contentHash !== null) expect(image.contentHash).toMatch(/^[0-9a-f]{64}$/);
      });
    }
    // Most, not all, listings carry a GTIN.
    const withGtin = products.filter((p) => p.gtin !== null).length;
    expect(withGtin).toBeGreaterThan(products.length * 0.4);
    expect(withGtin).toBeLessThan(products.length);
  });

  it('prices JPY in whole yen at a sensible exchange rate', () => {
    const yen = products.filter((p) => p.currency === 'JPY');
    expect(yen.length).toBeGreaterThan(0);
    for (const product of yen) {
      expect(product.marketplaceCode).toBe('amazon-jp');
      expect(Number.isInteger(product.priceMinor)).toBe(true);
      for (const sale of product.sales) expect(Number.isInteger(sale.unitPriceMinor)).toBe(true);
    }
    // Median price in yen vs. in US cents: ~150 yen per dollar is ~1.5 yen per cent.
    const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const usdCents = median(products.filter((p) => p.currency === 'USD').map((p) => p.priceMinor));
    const ratio = median(yen.map((p) => p.priceMinor)) / usdCents;
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(5);
  });

  it('dates every sale within the listing lifetime and never after now', () => {
    // Collects violations instead of one expect per sale: thousands of expects are slow.
    const problems: string[] = [];
    for (const product of products) {
      const keys = new Set<string>();
      let previous = -Infinity;
      for (const sale of product.sales) {
        const at = sale.soldAt.getTime();
        const where = `${product.externalId} ${sale.sourceKey}`;
        if (at < product.firstSeenAt.getTime()) problems.push(`${where}: before firstSeenAt`);
        if (at > product.lastSeenAt.getTime()) problems.push(`${where}: after lastSeenAt`);
        if (at > NOW.getTime()) problems.push(`${where}: after now`);
        if (at < previous) problems.push(`${where}: out of order`);
        previous = at;
        if (keys.has(sale.sourceKey)) problems.push(`${where}: duplicate sourceKey`);
        keys.add(sale.sourceKey);
        if (sale.currency !== product.currency) problems.push(`${where}: currency ${sale.currency}`);
        if (!(sale.quantity >= 1 && sale.quantity <= 5)) problems.push(`${where}: quantity ${sale.quantity}`);
        if (!Number.isSafeInteger(sale.unitPriceMinor) || sale.unitPriceMinor < 0) problems.push(`${where}: price`);
        if (sale.shippingMinor !== null && !(Number.isSafeInteger(sale.shippingMinor) && sale.shippingMinor >= 0)) {
          problems.push(`${where}: shipping ${sale.shippingMinor}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has a long-tailed number of sales per listing', () => {
    const counts = products.map((p) => p.sales.length).sort((a, b) => a - b);
    const total = counts.reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThanOrEqual(3_000);
    expect(total).toBeLessThanOrEqual(8_000);
    const fewOrNone = counts.filter((n) => n <= 2).length;
    expect(fewOrNone / counts.length).toBeGreaterThan(0.5);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThan(counts.length * 0.25);
    const top = counts[counts.length - 1] ?? 0;
    expect(top).toBeGreaterThanOrEqual(200);
    // The best seller alone outsells the bottom half of the listings many times over.
    const bottomHalf = counts.slice(0, counts.length / 2).reduce((sum, n) => sum + n, 0);
    expect(top).toBeGreaterThan(bottomHalf * 5);
  });

  it('peaks in the fourth quarter', () => {
    const start = new Date(NOW);
    start.setUTCFullYear(start.getUTCFullYear() - 3);
    const daysPerMonth = new Array<number>(12).fill(0);
    for (let t = start.getTime(); t <= NOW.getTime(); t += 86_400_000) {
      const month = new Date(t).getUTCMonth();
      daysPerMonth[month] = (daysPerMonth[month] ?? 0) + 1;
    }
    const salesPerMonth = new Array<number>(12).fill(0);
    for (const product of products) {
      for (const sale of product.sales) {
        const month = sale.soldAt.getUTCMonth();
        salesPerMonth[month] = (salesPerMonth[month] ?? 0) + 1;
      }
    }
    const perDay = (months: number[]): number =>
      months.reduce((sum, m) => sum + (salesPerMonth[m] ?? 0), 0) /
      months.reduce((sum, m) => sum + (daysPerMonth[m] ?? 0), 0);
    expect(perDay([9, 10, 11])).toBeGreaterThan(perDay([0, 1, 2, 3, 4, 5, 6, 7, 8]) * 1.2);
  });

  it('sizes default at a few thousand products and about a hundred thousand sales', () => {
    const data = generateDemoData({ size: 'default', seed: SEED, now: NOW });
    let productCount = 0;
    let saleCount = 0;
    for (const product of data.products()) {
      productCount += 1;
      saleCount += product.sales.length;
    }
    expect(productCount).toBeGreaterThanOrEqual(3_000);
    expect(productCount).toBeLessThanOrEqual(5_000);
    expect(saleCount).toBeGreaterThanOrEqual(60_000);
    expect(saleCount).toBeLessThanOrEqual(120_000);
  });

  it('rejects an unknown size and a fractional seed', () => {
    expect(() => generateDemoData({ size: 'huge' as 'small', seed: SEED, now: NOW })).toThrow(/unknown seed size/);
    expect(() => generateDemoData({ size: 'small', seed: 1.5, now: NOW })).toThrow(/safe integer/);
  });
});
