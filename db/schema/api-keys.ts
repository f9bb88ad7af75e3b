import { sql } from 'drizzle-orm';
import { char, check, integer, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { ROLES } from '../../lib/roles';

export const apiKeyRole = pgEnum('api_key_role', ROLES);

/**
 * API keys, hashed at rest: only the SHA-256 of a key is stored, with its first characters to
 * tell keys apart in listings. A revoked key stays, for the record.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    name: text().notNull(),
    role: apiKeyRole().notNull(),
    /** SHA-256 of the whole key, hex. */
    hash: char({ length: 64 }).notNull().unique(),
    /** The key's first characters (`sg_a1b2c3d4`), enough to recognise it, not to use it. */
    prefix: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    revokedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [check('api_keys_name_not_empty', sql`length(${t.name}) > 0`)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
