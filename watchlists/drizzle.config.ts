import { defineConfig } from 'drizzle-kit';

// The watchlists subgraph's own migrations, from its own Drizzle schema: `npm run watchlists:db:generate`.
// Its migration journal is its own table, beside (never in) the core's drizzle.__drizzle_migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './watchlists/db/schema.ts',
  out: './watchlists/db/migrations',
  casing: 'snake_case',
  schemaFilter: ['watchlists'],
  migrations: { schema: 'drizzle', table: '__watchlists_migrations' },
});
