import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/web/', '<rootDir>/dist/'],
  // Tests run the compiled programs as users do; they are compiled once, first.
  globalSetup: '<rootDir>/test/support/build-server.mjs',
  // isolatedModules makes ts-jest transpile only: `npm run typecheck` checks types, once.
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true } }],
  },
  // Each test file starts its own database; on two cores two workers is the sweet spot.
  maxWorkers: 2,
  testTimeout: 60_000,
};

export default config;
