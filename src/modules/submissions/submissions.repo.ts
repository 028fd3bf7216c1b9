import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { assets, idempotencyKeys, submissionItems, submissions } from '../../db/schema.js'

export type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'
import type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'

/** The submission answering for a partner's id now (locked for the rest of the transaction). */
export async function lockCurrentSubmission(db: Executor, partnerId: string, partnerRef: string): Promise<SubmissionRow | undefined> {
  const [row] = await db
    .select()
    .from(submissions)
    .where(and(eq(submissions.partnerId, partnerId), eq(submissions.partnerRef, partnerRef), eq(submissions.isCurrent, true)))
    .for('update')
  return row
}

export async function findSubmission(db: Executor, id: string): Promise<SubmissionRow | undefined> {
  const [row] = await db.select().from(submissions).where(eq(submissions.id, id))
  return row
}

/** Keeps an old submission for history but lets its id start a new one. */
export async function retireSubmission(db: Executor, id: string): Promise<void> {
  await db.update(submissions).set({ isCurrent: false }).where(eq(submissions.id, id))
}

export async function insertSubmissionRows(
  db: Executor,
  rows: { submission: typeof submissions.$inferInsert; items: Array<typeof submissionItems.$inferInsert>; assets: Array<typeof assets.$inferInsert> },
): Promise<SubmissionRow> {
  const [submission] = await db.insert(submissions).values(rows.submission).returning()
  if (rows.items.length > 0) await db.insert(submissionItems).values(rows.items)
  if (rows.assets.length > 0) await db.insert(assets).values(rows.assets)
  return submission!
}

/** Assets of a submission still waiting for their upload, in declaration order. */
export async function listAssetsAwaitingUpload(db: Executor, submissionId: string): Promise<AssetRow[]> {
  return db
    .select()
    .from(assets)
    .innerJoin(submissionItems, eq(submissionItems.id, assets.itemId))
    .where(and(eq(assets.submissionId, submissionId), eq(assets.state, 'awaiting_upload'), eq(assets.source, 'upload')))
    .orderBy(asc(submissionItems.position), asc(assets.partnerAssetId))
    .then((rows) => rows.map((r) => r.assets))
}

/** Inline documents (sent within the request) not stored yet, with their item's partner id. */
export async function listInlineAssetsAwaiting(db: Executor, submissionId: string): Promise<Array<{ id: string; partnerAssetId: string; partnerItemId: string }>> {
  return db
    .select({ id: assets.id, partnerAssetId: assets.partnerAssetId, partnerItemId: submissionItems.partnerItemId })
    .from(assets)
    .innerJoin(submissionItems, eq(submissionItems.id, assets.itemId))
    .where(and(eq(assets.submissionId, submissionId), eq(assets.state, 'awaiting_upload'), eq(assets.source, 'inline')))
}

export async function findIdempotencyKey(db: Executor, partnerId: string, key: string) {
  const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key))).for('update')
  return row
}

export async function deleteIdempotencyKey(db: Executor, partnerId: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key)))
}

export async function insertIdempotencyKey(db: Executor, row: typeof idempotencyKeys.$inferInsert): Promise<void> {
  await db.insert(idempotencyKeys).values(row)
}

/** Current submissions of a partner answering for any of `refs`. */
export async function findCurrentByRefs(db: Executor, partnerId: string, refs: string[]): Promise<SubmissionRow[]> {
  if (refs.length === 0) return []
  return db
    .select()
    .from(submissions)
    .where(and(eq(submissions.partnerId, partnerId), eq(submissions.isCurrent, true), inArray(submissions.partnerRef, refs)))
}

/** Current submissions of a partner holding an item with one of `itemIds`, with that item id. */
export async function findCurrentByItemIds(db: Executor, partnerId: string, itemIds: string[]): Promise<Array<{ itemId: string; submission: SubmissionRow }>> {
  if (itemIds.length === 0) return []
  const rows = await db
    .select({ itemId: submissionItems.partnerItemId, submission: submissions })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(and(eq(submissions.partnerId, partnerId), eq(submissions.isCurrent, true), inArray(submissionItems.partnerItemId, itemIds)))
    .orderBy(sql`${submissions.createdAt} desc`)
  return rows
}

export async function listItemsOf(db: Executor, submissionIds: string[]): Promise<ItemRow[]> {
  if (submissionIds.length === 0) return []
  return db.select().from(submissionItems).where(inArray(submissionItems.submissionId, submissionIds)).orderBy(asc(submissionItems.position))
}

export async function listAssetsOf(db: Executor, submissionIds: string[]): Promise<AssetRow[]> {
  if (submissionIds.length === 0) return []
  return db.select().from(assets).where(inArray(assets.submissionId, submissionIds)).orderBy(asc(assets.partnerAssetId))
}

