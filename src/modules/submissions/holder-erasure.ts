import { and, eq, isNull } from 'drizzle-orm'
import type { Transaction } from '../../db/client.js'
import { submissionItems, submissions } from '../../db/schema.js'
import { AppError } from '../../errors.js'
import { isUuid } from '../../lib/ids.js'
import { recordEvent } from '../webhooks/index.js'
import { deleteScheduledBlobs, scheduleBlobDeletions } from '../../storage/blob-deletions.js'
import type { LifecycleDeps } from './lifecycle.js'
import { deleteRemovedItemData, deleteSubmissionData, markDecided, markExpired } from './lifecycle.repo.js'

/*
 * What a holder may erase of what the submissions module keeps for them (their data rights):
 *
 *   remove one credential   an accepted credential of their wallet: its data and documents are
 *                           deleted, `removed_at` set. The partner's status API still says
 *                           `accepted` (see `itemStatusOf`); share links show it as removed.
 *   erase the holder        every submission bound to them: an undecided one is declined (or
 *                           expired, when past its expiry) with its event, so its partner hears;
 *                           then all are purged as on expiry and unbound (`holder_id` null), so
 *                           that only ids, status and times remain.
 *
 * Both purge with the lifecycle's own purge (`lifecycle.repo.ts`), record the blobs to delete in
 * the same transaction and delete them only after its commit (a failure is retried by a job:
 * src/storage/blob-deletions.ts).
 */

/** A holder's request to remove one credential of their wallet. */
export interface RemoveCredentialInput {
  holderId: string
  itemId: string
}

/**
 * removeByHolder: deletes the data and documents of one credential the holder accepted and keeps
 * (fields, partner chain, title, documents) and marks it removed. Throws `not_found` for an unknown
 * id, another holder's credential, one not accepted, or one already removed (all alike).
 */
export async function removeCredentialByHolder(deps: LifecycleDeps, input: RemoveCredentialInput): Promise<void> {
  if (!isUuid(input.itemId)) throw new AppError('not_found', 'No such credential in this wallet')
  const blobKeys = await deps.db.transaction(async (tx) => {
    const [held] = await tx
      .select({ id: submissionItems.id })
      .from(submissionItems)
      .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
      .where(
        and(
          eq(submissionItems.id, input.itemId),
          eq(submissions.holderId, input.holderId),
          eq(submissions.status, 'verified'),
          eq(submissionItems.decision, 'accepted'),
          isNull(submissionItems.removedAt),
        ),
      )
      .for('update', { of: submissionItems })
    if (!held) throw new AppError('not_found', 'No such credential in this wallet')
    const now = deps.clock.now()
    const keys = await deleteRemovedItemData(tx, held.id, now)
    await scheduleBlobDeletions(tx, keys, now)
    return keys
  })
  await deleteScheduledBlobs(deps, blobKeys)
}

/**
 * eraseHolder: inside the caller's transaction (the account deletion, which deletes the holder row
 * in the same commit), finishes and purges every submission bound to the holder and unbinds them.
 * An undecided submission is declined (`submission.canceled`), or expired (`submission.expired`)
 * when past its expiry. Records the blobs to delete in the transaction, and returns their keys, to
 * delete once it commits (`deleteErasedBlobs`).
 */
export async function eraseHolderFromSubmissions(tx: Transaction, holderId: string, now: Date): Promise<string[]> {
  const bound = await tx.select().from(submissions).where(eq(submissions.holderId, holderId)).for('update')
  for (const submission of bound.filter((s) => s.status === 'incomplete')) {
    const at = { submissionId: submission.id, now }
    if (submission.expiresAt <= now) {
      await markExpired(tx, [submission.id])
      await recordEvent(tx, { ...at, type: 'submission.expired', status: 'canceled' })
    } else {
      await markDecided(tx, submission.id, [], now)
      await recordEvent(tx, { ...at, type: 'submission.canceled', status: 'canceled' })
    }
  }
  const unpurged = bound.filter((s) => s.dataDeletedAt === null).map((s) => s.id)
  const blobKeys = await deleteSubmissionData(tx, unpurged, now)
  await scheduleBlobDeletions(tx, blobKeys, now)
  await tx.update(submissions).set({ holderId: null }).where(eq(submissions.holderId, holderId))
  return blobKeys
}

/** Deletes the blobs an erasure unreferenced, after its commit (a failure is retried by a job, never a broken row). */
export async function deleteErasedBlobs(
  deps: Pick<LifecycleDeps, 'blobs' | 'db' | 'clock'>,
  keys: string[],
): Promise<void> {
  await deleteScheduledBlobs(deps, keys)
}
