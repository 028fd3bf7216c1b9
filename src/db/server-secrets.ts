import { eq } from 'drizzle-orm'
import { randomToken } from '../lib/crypto.js'
import type { Executor } from './client.js'
import { serverSecrets } from './schema.js'

/**
 * A server-wide secret generated on first use and kept in the database, so that every instance
 * sharing the database uses the same one. Concurrent first starts agree on a single value.
 */
export async function getOrCreateServerSecret(
  db: Executor,
  name: string,
  create: () => string = () => randomToken(64),
): Promise<string> {
  await db.insert(serverSecrets).values({ name, value: create() }).onConflictDoNothing({ target: serverSecrets.name })
  const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name))
  return row!.value
}

/** Replaces a server-wide value (for a check value that no longer matches and guards nothing). */
export async function replaceServerSecret(db: Executor, name: string, value: string): Promise<void> {
  await db.update(serverSecrets).set({ value }).where(eq(serverSecrets.name, name))
}
