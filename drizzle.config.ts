import { defineConfig } from 'drizzle-kit';

// drizzle-kit only diffs the TypeScript schema against earlier snapshots; it never
// connects, so no credentials are needed here. The gateway applies migrations at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
});
