import { eq, inArray, lt, sql } from 'drizzle-orm'
import { executeNamed, type Executor } from '../../../db/client.js'
import { fromJson } from '../../../db/rows.js'
import { holderSessions } from '../../../db/schema.js'

/** A row of `holder_sessions`. */
export type SessionRow = typeof holderSessions.$inferSelect

/** Stores a new session; returns it as stored. */
export async function insertSession(db: Executor, row: typeof holderSessions.$inferInsert): Promise<SessionRow> {
  const [session] = await db.insert(holderSessions).values(row).returning()
  return session!
}

/**
 * The session with this id if it has not ended by `now`, with the email of its holder (if any).
 * Every holder page request reads it: one statement, prepared once per connection (`executeNamed`).
 */
export async function findLiveSession(
  db: Executor,
  id: string,
  now: Date,
): Promise<{ session: SessionRow; email: string | null } | undefined> {
  const [row] = (await executeNamed(
    db,
    'find_live_session',
    sql`select row_to_json(s) as session, h.email
          from holder_sessions s left join holders h on h.id = s.holder_id
         where s.id = ${id} and s.expires_at > ${now}`,
  )) as Array<{ session: Record<string, unknown>; email: string | null }>
  return row ? { session: fromJson(holderSessions, row.session), email: row.email } : undefined
}

/** Changes the pending submission or the language of a session. */
export async function updateSession(
  db: Executor,
  id: string,
  changes: Partial<Pick<SessionRow, 'pendingSubmissionId' | 'locale'>>,
): Promise<void> {
  await db.update(holderSessions).set(changes).where(eq(holderSessions.id, id))
}

/** Ends a session at `now` and unbinds its holder; the row stays. */
export async function endSessionRow(db: Executor, id: string, now: Date): Promise<void> {
  await db.update(holderSessions).set({ expiresAt: now, holderId: null }).where(eq(holderSessions.id, id))
}

/** Deletes up to `limit` sessions that ended before `cutoff` (their sign-in codes go with them); returns how many. */
export async function deleteSessionsEndedBefore(db: Executor, cutoff: Date, limit: number): Promise<number> {
  const batch = await db
    .select({ id: holderSessions.id })
    .from(holderSessions)
    .where(lt(holderSessions.expiresAt, cutoff))
    .limit(limit)
  if (batch.length === 0) return 0
  const deleted = await db
    .delete(holderSessions)
    .where(
      inArray(
        holderSessions.id,
        batch.map((row) => row.id),
      ),
    )
    .returning({ id: holderSessions.id })
  return deleted.length
}
