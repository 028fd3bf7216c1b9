import { randomUUID } from 'node:crypto'
import { and, count, desc, eq, gt, isNull, min, sql } from 'drizzle-orm'
import type { Executor } from '../../../db/client.js'
import { holders, signInCodes } from '../../../db/schema.js'

/** A row of `sign_in_codes`. */
export type SignInCodeRow = typeof signInCodes.$inferSelect

/** Advisory lock namespaces: requests for one email (or from one IP) are counted one at a time, on every instance. */
const LOCK_EMAIL = 7_362_101
const LOCK_IP = 7_362_102

/**
 * Takes the transaction's locks on an address and on an IP address hash: always the email first,
 * then the IP, one order everywhere, so two requests never deadlock.
 */
export async function lockSignInRequests(tx: Executor, email: string, ipHash: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_EMAIL))}, hashtext(${email}))`)
  await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(LOCK_IP))}, hashtext(${ipHash}))`)
}

/** The newest code sent to an address, from any session. */
export async function findLatestCodeForEmail(db: Executor, email: string): Promise<SignInCodeRow | undefined> {
  const [row] = await db
    .select()
    .from(signInCodes)
    .where(eq(signInCodes.email, email))
    .orderBy(desc(signInCodes.createdAt))
    .limit(1)
  return row
}

/** The newest code of a session; with `lock`, locked for the rest of the transaction. */
export async function findLastCodeOfSession(
  db: Executor,
  sessionId: string,
  options: { lock?: boolean } = {},
): Promise<SignInCodeRow | undefined> {
  const query = db
    .select()
    .from(signInCodes)
    .where(eq(signInCodes.sessionId, sessionId))
    .orderBy(desc(signInCodes.createdAt))
    .limit(1)
  const [row] = options.lock ? await query.for('update') : await query
  return row
}

/** How many codes went out since `since` to an address or from an IP address hash, and when the oldest of them did. */
export async function countCodesSince(
  db: Executor,
  by: { email: string } | { ipHash: string },
  since: Date,
): Promise<{ n: number; oldest: Date | null }> {
  const condition = 'email' in by ? eq(signInCodes.email, by.email) : eq(signInCodes.ipHash, by.ipHash)
  const [row] = await db
    .select({ n: count(), oldest: min(signInCodes.createdAt) })
    .from(signInCodes)
    .where(and(condition, gt(signInCodes.createdAt, since)))
  return { n: row?.n ?? 0, oldest: row?.oldest ?? null }
}

/** Ends, at `now`, every code of a session that is neither consumed nor expired. */
export async function retireLiveCodes(db: Executor, sessionId: string, now: Date): Promise<void> {
  await db
    .update(signInCodes)
    .set({ expiresAt: now })
    .where(and(eq(signInCodes.sessionId, sessionId), isNull(signInCodes.consumedAt), gt(signInCodes.expiresAt, now)))
}

/** Stores a new code (only its keyed hash). */
export async function insertCode(db: Executor, row: typeof signInCodes.$inferInsert): Promise<void> {
  await db.insert(signInCodes).values(row)
}

/** Changes a code: ends it (`expiresAt`), counts a wrong try (`attempts`) or consumes it (`consumedAt`). */
export async function updateCode(
  db: Executor,
  id: string,
  changes: Partial<Pick<SignInCodeRow, 'expiresAt' | 'attempts' | 'consumedAt'>>,
): Promise<void> {
  await db.update(signInCodes).set(changes).where(eq(signInCodes.id, id))
}

/** The holder with this address, created on first sign-in; `last_signed_in_at` set to `now` either way. */
export async function upsertHolder(db: Executor, email: string, now: Date): Promise<string> {
  const [holder] = await db
    .insert(holders)
    .values({ id: randomUUID(), email, createdAt: now, lastSignedInAt: now })
    .onConflictDoUpdate({ target: holders.email, set: { lastSignedInAt: now } })
    .returning({ id: holders.id })
  return holder!.id
}
