import { InvalidEnvironmentError, parseEnv } from '../env';

describe('configuration', () => {
  it('falls back to the embedded defaults with an empty environment', () => {
    expect(parseEnv({})).toMatchObject({
      PORT: 4000,
      HOST: '127.0.0.1',
      PGLITE_DIR: '.data/pglite',
      CACHE_TIMEOUT_MS: 100,
      SEED_ON_EMPTY: true,
      SEED_SIZE: 'default',
      // npm start is the product: production unless npm run dev says development.
      NODE_ENV: 'production',
      RESPONSE_CACHE: true,
      RESPONSE_CACHE_STALE_SECONDS: 300,
    });
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it('reads allowed CORS origins as any or a list', () => {
    expect(parseEnv({}).CORS_ORIGINS).toBe('*');
    expect(parseEnv({ CORS_ORIGINS: 'https://a.example, https://b.example' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('lists every problem in one clear message', () => {
    expect(() => parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED_SIZE: 'huge' })).toThrow(
      InvalidEnvironmentError,
    );
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SEED_SIZE: 'huge' });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT:/);
      expect(message).toMatch(/DATABASE_URL: DATABASE_URL must start with postgres:\/\//);
      expect(message).toMatch(/SEED_SIZE:/);
    }
  });
});

describe('read replica configuration', () => {
  const primary = 'postgres://postgres@127.0.0.1:5432/soldgraph';

  it('reads one or more replica URLs, with the lag bound and probe interval', () => {
    const env = parseEnv({
      DATABASE_URL: primary,
      DATABASE_READ_URL: 'postgres://postgres@127.0.0.1:5433/soldgraph, postgres://postgres@127.0.0.1:5434/soldgraph',
    });
    expect(env.DATABASE_READ_URL).toEqual([
      'postgres://postgres@127.0.0.1:5433/soldgraph',
      'postgres://postgres@127.0.0.1:5434/soldgraph',
    ]);
    expect(env).toMatchObject({ DATABASE_READ_MAX_LAG_SECONDS: 10, DATABASE_READ_PROBE_MS: 1000 });
    expect(parseEnv({}).DATABASE_READ_URL).toBeUndefined();
  });

  it('refuses replicas without a PostgreSQL primary, and URLs that are not PostgreSQL', () => {
    expect(() => parseEnv({ DATABASE_READ_URL: 'postgres://postgres@127.0.0.1:5433/soldgraph' })).toThrow(
      /DATABASE_READ_URL: DATABASE_READ_URL needs DATABASE_URL: read replicas follow a PostgreSQL primary/,
    );
    expect(() => parseEnv({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://x' })).toThrow(
      /DATABASE_READ_URL.*: DATABASE_READ_URL must start with postgres:\/\//,
    );
  });
});

describe('source configuration', () => {
  it('defaults to the real eBay and Keepa hosts without credentials', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      EBAY_BASE_URL: 'https://api.ebay.com',
      EBAY_MARKETPLACE_ID: 'EBAY_US',
      EBAY_DAILY_BUDGET: 5000,
      EBAY_END_UNSEEN_AFTER_HOURS: 48,
      KEEPA_BASE_URL: 'https://api.keepa.com',
      SOURCE_TIMEOUT_MS: 30000,
      SOURCE_MAX_RETRIES: 5,
    });
    expect(env.EBAY_CLIENT_ID).toBeUndefined();
    expect(env.KEEPA_API_KEY).toBeUndefined();
  });

  it('reads base URLs, keys and the marketplace from the environment', () => {
    const env = parseEnv({
      EBAY_BASE_URL: 'http://127.0.0.1:9999',
      EBAY_CLIENT_ID: 'app',
      EBAY_CLIENT_SECRET: 'cert',
      EBAY_MARKETPLACE_ID: 'EBAY_DE',
      KEEPA_API_KEY: 'k',
    });
    expect(env).toMatchObject({
      EBAY_BASE_URL: 'http://127.0.0.1:9999',
      EBAY_MARKETPLACE_ID: 'EBAY_DE',
      KEEPA_API_KEY: 'k',
    });
  });

  it('rejects a malformed marketplace id and base URL', () => {
    expect(() => parseEnv({ EBAY_MARKETPLACE_ID: 'us', KEEPA_BASE_URL: 'nope' })).toThrow(
      /EBAY_MARKETPLACE_ID: EBAY_MARKETPLACE_ID must look like EBAY_US[\s\S]*KEEPA_BASE_URL/,
    );
  });
});
