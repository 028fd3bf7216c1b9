import { and, eq, inArray, lte, sql } from 'drizzle-orm'
import type { Db, Executor } from '../../db/client.js'
import { assets, submissionItems, submissions } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { BlobStore } from '../../storage/blob-store.js'

interface ExpireDeps {
  db: Db
  clock: Clock
  blobs: BlobStore
}

/**
 * Deletes what a finished-without-acceptance submission must not keep (spec §10): credential
 * fields, partner chains, titles, document references; awaited documents become `missing`.
 * Runs inside the caller's transaction and returns the blob keys to delete once it commits.
 */
export async function purgeSubmissionData(tx: Executor, ids: string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return []
  await tx.update(submissions).set({ dataDeletedAt: now }).where(inArray(submissions.id, ids))
  await tx
    .update(submissionItems)
    .set({ fields: null, partnerChain: null, displayTitle: null })
    .where(inArray(submissionItems.submissionId, ids))
  // Every asset row is locked, not only those with a blob key: a row an upload changed after this
  // statement began is then read as committed (with its new key), and an upload that comes later
  // waits for this transaction and finds its asset gone. Filtering on the key would skip the former.
  const locked = await tx
    .select({ blobKey: assets.blobKey })
    .from(assets)
    .where(inArray(assets.submissionId, ids))
    .for('update')
  await tx
    .update(assets)
    .set({
      blobKey: null,
      sourceUrl: null,
      verification: null,
      fetchAfter: null,
      state: sql`case when ${assets.state} in ('awaiting_upload', 'awaiting_fetch') then 'missing' else ${assets.state} end`,
    })
    .where(inArray(assets.submissionId, ids))
  return locked.flatMap((row) => (row.blobKey ? [row.blobKey] : []))
}

/** Deletes blobs after the commit that unreferenced them; a failure leaves an orphan file, never a broken row. */
export async function deleteBlobs(blobs: BlobStore, keys: string[]): Promise<void> {
  for (const key of keys) await blobs.delete(key).catch(() => {})
}

/**
 * Expires up to `limit` submissions still `incomplete` past their expiry (spec §10): status
 * `canceled` (finalized when they expired), credential data and documents deleted, only ids,
 * status and timestamps kept. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several
 * instances sharing a database expire each submission exactly once. Blobs are deleted after the
 * commit. Returns how many submissions it expired.
 */
export async function expireSubmissions(deps: ExpireDeps, options: { limit: number }): Promise<number> {
  const now = deps.clock.now()
  const { expired, blobKeys } = await deps.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: submissions.id })
      .from(submissions)
      .where(and(eq(submissions.status, 'incomplete'), lte(submissions.expiresAt, now)))
      .orderBy(submissions.expiresAt)
      .limit(options.limit)
      .for('update', { skipLocked: true })
    if (due.length === 0) return { expired: 0, blobKeys: [] as string[] }
    const ids = due.map((d) => d.id)
    await tx
      .update(submissions)
      .set({ status: 'canceled', cancelReason: 'expired', finalizedAt: sql`${submissions.expiresAt}` })
      .where(inArray(submissions.id, ids))
    return { expired: ids.length, blobKeys: await purgeSubmissionData(tx, ids, now) }
  })
  await deleteBlobs(deps.blobs, blobKeys)
  return expired
}
