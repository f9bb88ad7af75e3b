/**
 * Seeded pseudo-random numbers for the demo data generator.
 * Same seed => same sequence on every platform (pure 32-bit integer arithmetic), so the
 * demo dataset is reproducible. Not for anything security related.
 */

/** 32-bit FNV-1a hash of a string; stable across runs, used to derive ids from names. */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i += 1) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A weighted choice: `weight` is relative and must be >= 0. */
export type Weighted<T> = { value: T; weight: number };

/**
 * Precomputed sampler for k in 1..n with P(k) proportional to k^-s (a truncated Zipf law).
 * Build once with `zipfTable` and reuse: sampling is a binary search over the CDF.
 */
export type ZipfTable = { cdf: Float64Array };

/** Builds the cumulative distribution of a Zipf law over 1..n with exponent s. */
export function zipfTable(n: number, s: number): ZipfTable {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipfTable: n must be a positive integer, got ${n}`);
  const cdf = new Float64Array(n);
  let total = 0;
  for (let k = 1; k <= n; k += 1) {
    total += k ** -s;
    cdf[k - 1] = total;
  }
  for (let i = 0; i < n; i += 1) cdf[i] = (cdf[i] ?? 0) / total;
  return { cdf };
}

/** sfc32 ("small fast counter") generator with helpers for common distributions. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second normal deviate from the last Box-Muller draw. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    // Spread the seed over the four words with splitmix-style mixing, then warm up.
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
    this.c ^= high;
    for (let i = 0; i < 15; i += 1) this.nextUint32();
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int: max ${max} < min ${min}`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Uniformly chosen element; throws on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Element chosen with probability proportional to its weight; throws when all weights are 0. */
  weighted<T>(items: readonly Weighted<T>[]): T {
    let total = 0;
    for (const item of items) total += item.weight;
    if (!(total > 0)) throw new RangeError('weighted: weights must sum to a positive number');
    let target = this.next() * total;
    for (const item of items) {
      target -= item.weight;
      if (target < 0) return item.value;
    }
    // Floating point leftovers land on the last positive-weight item.
    const last = [...items].reverse().find((item) => item.weight > 0);
    if (!last) throw new RangeError('weighted: no positive weight');
    return last.value;
  }

  /** Standard normal deviate (Box-Muller; caches the second value). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(mu, sigma^2)); the median is exp(mu). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** k in 1..n with P(k) proportional to k^-s, from a table built by `zipfTable`. */
  zipf(table: ZipfTable): number {
    const target = this.next();
    const { cdf } = table;
    let low = 0;
    let high = cdf.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cdf[mid] ?? 1) > target) high = mid;
      else low = mid + 1;
    }
    return low + 1;
  }

  /** `length` lowercase hex characters. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) out += this.nextUint32().toString(16).padStart(8, '0');
    return out.slice(0, length);
  }

  /** `length` characters drawn from `alphabet`. */
  chars(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i += 1) out += alphabet.charAt(Math.floor(this.next() * alphabet.length));
    return out;
  }
}
