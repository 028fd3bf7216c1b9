import { eq, inArray, lt, sql, type SQL } from 'drizzle-orm'
import { executeNamed, type Executor } from '../../../db/client.js'
import { fromJson } from '../../../db/rows.js'
import { holderSessions } from '../../../db/schema.js'
import { holderPageColumn, type HolderPage } from '../../submissions/index.js'

/** A row of `holder_sessions`. */
export type SessionRow = typeof holderSessions.$inferSelect

/** Stores a new session; returns it as stored. */
export async function insertSession(db: Executor, row: typeof holderSessions.$inferInsert): Promise<SessionRow> {
  const [session] = await db.insert(holderSessions).values(row).returning()
  return session!
}

/** A live session as read, with its holder's email and, when asked for, the read of a page (JSON, see `holderPageColumn`). */
export interface LiveSessionRead {
  session: SessionRow
  email: string | null
  page?: unknown
}

/** The statement of `findLiveSession` for each page (and none), built once: a page load only runs it. */
const liveSessionStatements = new Map<HolderPage | undefined, SQL>()
function liveSessionStatement(page?: HolderPage): SQL {
  let statement = liveSessionStatements.get(page)
  if (!statement) {
    const pageColumn = page ? sql`, ${holderPageColumn(page, 'hs')} as page` : sql``
    statement = sql`select row_to_json(hs) as session, h.email ${pageColumn}
          from holder_sessions hs left join holders h on h.id = hs.holder_id
         where hs.id = ${sql.placeholder('id')} and hs.expires_at > ${sql.placeholder('now')}`
    liveSessionStatements.set(page, statement)
  }
  return statement
}

/**
 * The session with this id if it has not ended by `now`, with the email of its holder (if any),
 * and what `page` shows, when given, read in the same statement (one round trip for a page load).
 * Every holder page request reads it: one statement per page, prepared once per connection
 * (`executeNamed`), its text built once.
 */
export async function findLiveSession(
  db: Executor,
  id: string,
  now: Date,
  page?: HolderPage,
): Promise<LiveSessionRead | undefined> {
  const [row] = (await executeNamed(
    db,
    page ? `find_live_session_${page}` : 'find_live_session',
    liveSessionStatement(page),
    {
      id,
      now,
    },
  )) as Array<{ session: Record<string, unknown>; email: string | null; page?: unknown }>
  if (!row) return undefined
  const read: LiveSessionRead = { session: fromJson(holderSessions, row.session), email: row.email }
  if (page) read.page = row.page
  return read
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
