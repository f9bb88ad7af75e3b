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
