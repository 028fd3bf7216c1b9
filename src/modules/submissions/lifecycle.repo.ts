import { and, eq, inArray, isNull, lte, sql, type SQL } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { assets, submissionItems, submissions, type ItemRow, type SubmissionRow } from '../../db/schema.js'

/**
 * Binds the submission to `holderId` if no holder has it yet and it is still open, recording when
 * it was first opened; the submission as bound, or undefined when it is someone's already, decided
 * or unknown. (A decided submission without a holder is one whose holder deleted their account: its
 * data is gone, and it is no one else's to take.)
 */
export async function claimHolder(
  db: Executor,
  submissionId: string,
  holderId: string,
  now: Date,
): Promise<SubmissionRow | undefined> {
  const [bound] = await db
    .update(submissions)
    .set({ holderId, openedAt: sql`coalesce(${submissions.openedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(submissions.id, submissionId), isNull(submissions.holderId), eq(submissions.status, 'incomplete')))
    .returning()
  return bound
}

/** The submission, locked for the rest of the transaction. */
export async function lockSubmission(db: Executor, submissionId: string): Promise<SubmissionRow | undefined> {
  const [row] = await db.select().from(submissions).where(eq(submissions.id, submissionId)).for('update')
  return row
}

/** The ids of a submission's credentials, in the order they were sent. */
export async function listItemIdsOf(db: Executor, submissionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: submissionItems.id })
    .from(submissionItems)
    .where(eq(submissionItems.submissionId, submissionId))
    .orderBy(submissionItems.position)
  return rows.map((row) => row.id)
}

/**
 * Records a holder's decision, per credential: each of `acceptedIds` is `accepted`, every other
 * credential of the submission `declined`; the submission is `verified` when at least one was
 * accepted, `canceled` (reason `declined`) when none was, finalized `now`.
 */
export async function markDecided(
  db: Executor,
  submissionId: string,
  acceptedIds: readonly string[],
  now: Date,
): Promise<SubmissionRow> {
  const [decided] = await db
    .update(submissions)
    .set(
      acceptedIds.length > 0
        ? { status: 'verified', finalizedAt: now }
        : { status: 'canceled', cancelReason: 'declined', finalizedAt: now },
    )
    .where(eq(submissions.id, submissionId))
    .returning()
  const accepted = acceptedIds.length > 0 ? inArray(submissionItems.id, [...acceptedIds]) : sql`false`
  await db
    .update(submissionItems)
    .set({ decision: sql`case when ${accepted} then 'accepted' else 'declined' end` })
    .where(eq(submissionItems.submissionId, submissionId))
  return decided!
}

/**
 * Up to `limit` submissions still `incomplete` at or past their expiry, oldest first, locked; rows
 * another transaction holds are skipped, so several instances never claim the same one.
 */
export async function claimDueSubmissions(db: Executor, now: Date, limit: number): Promise<string[]> {
  const due = await db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.status, 'incomplete'), lte(submissions.expiresAt, now)))
    .orderBy(submissions.expiresAt)
    .limit(limit)
    .for('update', { skipLocked: true })
  return due.map((d) => d.id)
}

/** Marks submissions `canceled` because they expired, finalized when they expired. */
export async function markExpired(db: Executor, ids: string[]): Promise<void> {
  await db
    .update(submissions)
    .set({ status: 'canceled', cancelReason: 'expired', finalizedAt: sql`${submissions.expiresAt}` })
    .where(inArray(submissions.id, ids))
}

/**
 * Deletes the credential data of submissions: fields, partner chains, titles and document
 * references; awaited documents become `missing`. Returns the blob keys the assets referenced.
 */
export async function deleteSubmissionData(db: Executor, ids: string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return []
  await db.update(submissions).set({ dataDeletedAt: now }).where(inArray(submissions.id, ids))
  return deleteCredentialData(db, {
    items: inArray(submissionItems.submissionId, ids),
    assets: inArray(assets.submissionId, ids),
  })
}

/**
 * Deletes the data of some credentials (those a holder declined in a submission they otherwise
 * accepted) as `deleteSubmissionData` does a whole submission's; their submission keeps the rest.
 * Returns the blob keys their assets referenced.
 */
export async function deleteItemData(db: Executor, itemIds: readonly string[]): Promise<string[]> {
  if (itemIds.length === 0) return []
  return deleteCredentialData(db, {
    items: inArray(submissionItems.id, [...itemIds]),
    assets: inArray(assets.itemId, [...itemIds]),
  })
}

/**
 * Deletes the data of one credential the holder removed from their wallet, as a purge does for a
 * whole submission, and marks it removed at `now`. Returns the blob keys its documents referenced.
 */
export async function deleteRemovedItemData(db: Executor, itemId: string, now: Date): Promise<string[]> {
  await db.update(submissionItems).set({ removedAt: now }).where(eq(submissionItems.id, itemId))
  return deleteItemData(db, [itemId])
}

/**
 * The purge itself, for the items and assets `scope` selects: fields, partner chains, titles and
 * document references deleted; awaited documents become `missing`. Returns the blob keys.
 */
async function deleteCredentialData(db: Executor, scope: { items: SQL; assets: SQL }): Promise<string[]> {
  await db.update(submissionItems).set({ fields: null, partnerChain: null, displayTitle: null }).where(scope.items)
  // Every asset row is locked, not only those with a blob key: a row an upload changed after this
  // statement began is then read as committed (with its new key), and an upload that comes later
  // waits for this transaction and finds its asset gone. Filtering on the key would skip the former.
  const locked = await db.select({ blobKey: assets.blobKey }).from(assets).where(scope.assets).for('update')
  await db
    .update(assets)
    .set({
      blobKey: null,
      sourceUrl: null,
      verification: null,
      fetchAfter: null,
      state: sql`case when ${assets.state} in ('awaiting_upload', 'awaiting_fetch') then 'missing' else ${assets.state} end`,
    })
    .where(scope.assets)
  return locked.flatMap((row) => (row.blobKey ? [row.blobKey] : []))
}

/** Marks a submission `canceled` because its issuer withdrew it, finalized `now`. */
export async function markWithdrawn(db: Executor, submissionId: string, now: Date): Promise<SubmissionRow> {
  const [withdrawn] = await db
    .update(submissions)
    .set({ status: 'canceled', cancelReason: 'withdrawn', finalizedAt: now })
    .where(eq(submissions.id, submissionId))
    .returning()
  return withdrawn!
}

/** An item, locked for the rest of the transaction. */
export async function lockItem(db: Executor, itemId: string): Promise<ItemRow | undefined> {
  const [row] = await db.select().from(submissionItems).where(eq(submissionItems.id, itemId)).for('update')
  return row
}

/** Records that its issuer revoked an accepted item, when and why. */
export async function markRevoked(db: Executor, itemId: string, reason: string, now: Date): Promise<ItemRow> {
  const [revoked] = await db
    .update(submissionItems)
    .set({ revokedAt: now, revokeReason: reason })
    .where(eq(submissionItems.id, itemId))
    .returning()
  return revoked!
}
