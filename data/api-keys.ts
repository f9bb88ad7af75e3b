import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type ApiKeyRow, apiKeys } from '../db/schema';
import type { Role } from '../lib/roles';

/** What a key looks like: `sg_` and 32 random bytes in base64url (43 characters). */
const KEY_FORMAT = /^sg_[A-Za-z0-9_-]{43}$/;

/** A key as listed: never the key itself, which exists only in the hands of whoever minted it. */
export type ApiKeyInfo = Pick<ApiKeyRow, 'id' | 'name' | 'role' | 'prefix' | 'createdAt' | 'revokedAt'>;

/** The SHA-256 of a key, hex: all the database keeps of it. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether `text` has the shape of a key (a cheap refusal before any lookup). */
export function looksLikeApiKey(text: string): boolean {
  return KEY_FORMAT.test(text);
}

/**
 * Mints a key for `role`: stores its hash and returns the key, which is shown once.
 * @example const { key } = await createApiKey(db, { name: 'analytics team', role: 'analyst' });
 */
export async function createApiKey(db: Db, input: { name: string; role: Role }): Promise<ApiKeyInfo & { key: string }> {
  const key = `sg_${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiKeys)
    .values({ name: input.name, role: input.role, hash: hashApiKey(key), prefix: key.slice(0, 11) })
    .returning();
  if (!row) throw new Error('the new key was not stored');
  return { ...info(row), key };
}

function info(row: ApiKeyRow): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
  };
}

/** Every key, oldest first, revoked ones included. */
export async function listApiKeys(db: Db): Promise<ApiKeyInfo[]> {
  const rows = await db.select().from(apiKeys).orderBy(asc(apiKeys.id));
  return rows.map(info);
}

/** Revokes a key; false when no key has that id or it was already revoked. */
export async function revokeApiKey(db: Db, id: number): Promise<boolean> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length > 0;
}

/** The live key with this hash, or undefined (unknown or revoked). */
export async function findActiveApiKey(db: Db, hash: string): Promise<Pick<ApiKeyRow, 'id' | 'role'> | undefined> {
  const [row] = await db
    .select({ id: apiKeys.id, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)));
  return row;
}
