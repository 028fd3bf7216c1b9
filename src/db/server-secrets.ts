import { eq } from 'drizzle-orm'
import { randomToken } from '../lib/crypto.js'
import type { Executor } from './client.js'
import { serverSecrets } from './schema.js'

/**
 * A server-wide secret generated on first use and kept in the database, so that every instance
 * sharing the database uses the same one. Concurrent first starts agree on a single value.
 */
export async function getOrCreateServerSecret(db: Executor, name: string): Promise<string> {
  await db
    .insert(serverSecrets)
    .values({ name, value: randomToken(64) })
    .onConflictDoNothing({ target: serverSecrets.name })
  const [row] = await db.select().from(serverSecrets).where(eq(serverSecrets.name, name))
  return row!.value
}
