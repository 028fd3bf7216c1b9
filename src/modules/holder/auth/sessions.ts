import type { Executor } from '../../../db/client.js'
import { randomToken, sha256Hex } from '../../../lib/crypto.js'
import type { Deps } from '../../../deps.js'
import type { Locale } from '../i18n/index.js'
import type { HolderPage } from '../../submissions/index.js'
import {
  deleteSessionsEndedBefore,
  endSessionRow,
  findLiveSession,
  insertSession,
  updateSession,
  type SessionRow,
} from './sessions.repo.js'

export type { SessionRow } from './sessions.repo.js'

/** Absolute lifetime of a holder session: it is never extended by activity. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000
/**
 * Ended sessions stay this long before they are purged: their sign-in codes (deleted with them)
 * are what the hourly per-email and per-IP limits count.
 */
const PURGE_GRACE_MS = 60 * 60 * 1000

/** The signed-in person of a session. */
export interface HolderIdentity {
  id: string
  email: string
}
/** What session operations need: the database and the clock. */
export type SessionDeps = Pick<Deps, 'db' | 'clock'>

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** The row id for a cookie token: its SHA-256, so a database leak yields no usable cookie. */
export function sessionIdFor(token: string): string {
  return sha256Hex(token)
}

/** Creates a session with a fresh random token (returned once, for the cookie) and CSRF secret (or the one it is given). */
export async function openSession(
  deps: SessionDeps,
  init: {
    holderId?: string | null
    pendingSubmissionId?: string | null
    locale?: Locale | null
    csrfSecret?: string | null
  } = {},
  db: Executor = deps.db,
): Promise<{ token: string; session: SessionRow }> {
  const token = randomToken(32)
  const now = deps.clock.now()
  const session = await insertSession(db, {
    id: sessionIdFor(token),
    holderId: init.holderId ?? null,
    csrfSecret: init.csrfSecret ?? randomToken(32),
    pendingSubmissionId: init.pendingSubmissionId ?? null,
    locale: init.locale ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
  })
  return { token, session }
}

/**
 * The live session a cookie token names, with its holder; null when unknown, malformed or expired.
 * With `page`, what that page shows comes with it (`page`: JSON, see `holderPageColumn`).
 */
export async function loadSession(
  deps: SessionDeps,
  token: string,
  page?: HolderPage,
): Promise<{ session: SessionRow; holder: HolderIdentity | null; page?: unknown } | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  const row = await findLiveSession(deps.db, sessionIdFor(token), deps.clock.now(), page)
  if (!row) return null
  const holder = row.session.holderId && row.email ? { id: row.session.holderId, email: row.email } : null
  return { session: row.session, holder, page: row.page }
}

/** Remembers which submission this browser opened, to come back to it after sign-in. */
export async function setPendingSubmission(
  deps: SessionDeps,
  sessionId: string,
  submissionId: string | null,
): Promise<void> {
  await updateSession(deps.db, sessionId, { pendingSubmissionId: submissionId })
}

/** Stores the interface language chosen in this session. */
export async function setSessionLocale(deps: SessionDeps, sessionId: string, locale: Locale): Promise<void> {
  await updateSession(deps.db, sessionId, { locale })
}

/** Ends a session now. The row stays until purged, so that its sign-in codes keep counting for the rate limits. */
export async function expireSession(deps: SessionDeps, sessionId: string): Promise<void> {
  await endSessionRow(deps.db, sessionId, deps.clock.now())
}

/**
 * Replaces a session by a new one (new token, id and CSRF secret) bound to `holderId`, keeping its
 * pending submission and language; the old one ends. Called at sign-in against session fixation.
 */
export async function replaceSession(
  deps: SessionDeps,
  old: SessionRow,
  holderId: string,
): Promise<{ token: string; session: SessionRow }> {
  return deps.db.transaction(async (tx) => {
    const created = await openSession(
      deps,
      { holderId, pendingSubmissionId: old.pendingSubmissionId, locale: old.locale as Locale | null },
      tx,
    )
    await endSessionRow(tx, old.id, deps.clock.now())
    return created
  })
}

/** Deletes up to `limit` sessions that ended more than an hour ago (with their sign-in codes); returns how many. */
export async function purgeExpiredSessions(deps: SessionDeps, options: { limit: number }): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - PURGE_GRACE_MS)
  return deleteSessionsEndedBefore(deps.db, cutoff, options.limit)
}
