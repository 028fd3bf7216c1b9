import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { executeNamed, type Executor } from '../../db/client.js'
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

export type NewItemRow = typeof submissionItems.$inferInsert & { id: string; position: number; partnerChain: ItemRow['partnerChain'] }
export type NewAssetRow = typeof assets.$inferInsert & { id: string; itemId: string; sourceUrl: string | null; fetchAfter: Date | null }

/** Everything a new submission stores, decided in memory before the one statement that stores it. */
export interface NewSubmissionRows {
  submission: SubmissionRow
  items: NewItemRow[]
  assets: NewAssetRow[]
  /** The `Idempotency-Key` it answers for, if the request had one. */
  idempotencyKey: string | null
}

/**
 * Stores a new submission with its items, assets and Idempotency-Key in one prepared statement
 * (one round trip, atomic without a transaction). Stores nothing and answers false when a current submission
 * already answers for the partner's id; a key that is already taken fails with a unique violation.
 */
export async function insertSubmission(db: Executor, rows: NewSubmissionRows): Promise<boolean> {
  const s = rows.submission
  const items = rows.items.map((i) => ({
    id: i.id,
    position: i.position,
    partner_item_id: i.partnerItemId,
    credential_type: i.credentialType,
    fields: i.fields ?? null,
    partner_chain: i.partnerChain,
    display_title: i.displayTitle ?? null,
  }))
  const assetRecords = rows.assets.map((a) => ({
    id: a.id,
    item_id: a.itemId,
    partner_asset_id: a.partnerAssetId,
    asset_type: a.assetType,
    source: a.source,
    source_url: a.sourceUrl,
    state: a.state,
    fetch_after: a.fetchAfter?.toISOString() ?? null,
  }))
  const stored = await executeNamed(db, 'insert_submission', sql`
    with new_submission as (
      insert into submissions (id, partner_id, client_id, partner_ref, is_current, envelope, redirect_path, document_type, body_hash, status, created_at, expires_at)
      values (${s.id}, ${s.partnerId}, ${s.clientId}, ${s.partnerRef}, true, ${s.envelope}, ${s.redirectPath}, ${s.documentType},
              ${s.bodyHash}, 'incomplete', ${s.createdAt.toISOString()}::timestamptz, ${s.expiresAt.toISOString()}::timestamptz)
      on conflict (partner_id, partner_ref) where is_current do nothing
      returning id
    ), new_items as (
      insert into submission_items (id, submission_id, position, partner_item_id, credential_type, fields, partner_chain, display_title)
      select i.id, new_submission.id, i.position, i.partner_item_id, i.credential_type, i.fields, i.partner_chain, i.display_title
      from new_submission, jsonb_to_recordset(${JSON.stringify(items)}::jsonb)
        as i(id uuid, position integer, partner_item_id text, credential_type text, fields jsonb, partner_chain jsonb, display_title text)
    ), new_assets as (
      insert into assets (id, submission_id, item_id, partner_asset_id, asset_type, source, source_url, state, fetch_after)
      select a.id, new_submission.id, a.item_id, a.partner_asset_id, a.asset_type, a.source, a.source_url, a.state, a.fetch_after
      from new_submission, jsonb_to_recordset(${JSON.stringify(assetRecords)}::jsonb)
        as a(id uuid, item_id uuid, partner_asset_id text, asset_type text, source text, source_url text, state text, fetch_after timestamptz)
    ), new_key as (
      insert into idempotency_keys (partner_id, key, body_hash, submission_id, created_at, expires_at)
      select ${s.partnerId}, ${rows.idempotencyKey}::text, ${s.bodyHash}, new_submission.id, ${s.createdAt.toISOString()}::timestamptz, ${s.expiresAt.toISOString()}::timestamptz
      from new_submission where ${rows.idempotencyKey}::text is not null
    )
    select id from new_submission`)
  return stored.length === 1
}

/** What an upload link is issued for: an asset waiting for its bytes. */
export type AwaitedAsset = Pick<AssetRow, 'id' | 'partnerAssetId' | 'assetType'>

/** Assets of a submission still waiting for their upload: by item, then by the partner's asset id (`collate "C"`). */
export async function listAssetsAwaitingUpload(db: Executor, submissionId: string): Promise<AwaitedAsset[]> {
  return db
    .select({ id: assets.id, partnerAssetId: assets.partnerAssetId, assetType: assets.assetType })
    .from(assets)
    .innerJoin(submissionItems, eq(submissionItems.id, assets.itemId))
    .where(and(eq(assets.submissionId, submissionId), eq(assets.state, 'awaiting_upload'), eq(assets.source, 'upload')))
    .orderBy(asc(submissionItems.position), sql`${assets.partnerAssetId} collate "C"`)
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

/**
 * Deletes up to `limit` Idempotency-Key rows that expired before `now`; returns how many. Rows
 * another instance is purging at the same moment are skipped, not waited for.
 */
export async function purgeExpiredIdempotencyKeys(db: Executor, now: Date, limit: number): Promise<number> {
  const deleted = await db
    .delete(idempotencyKeys)
    .where(
      sql`(${idempotencyKeys.partnerId}, ${idempotencyKeys.key}) in (
        select partner_id, key from idempotency_keys where expires_at < ${now.toISOString()}::timestamptz limit ${limit} for update skip locked)`,
    )
    .returning({ key: idempotencyKeys.key })
  return deleted.length
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

/**
 * For each of `itemIds`, the newest current submission of a partner holding an item with that id
 * (found through the item id index; one row per id however often the partner reused it).
 */
export async function findCurrentByItemIds(db: Executor, partnerId: string, itemIds: string[]): Promise<Array<{ itemId: string; submission: SubmissionRow }>> {
  if (itemIds.length === 0) return []
  return currentByItemIdsQuery(db, partnerId, itemIds)
}

/** The query of `findCurrentByItemIds`, unexecuted (its plan is tested). */
export function currentByItemIdsQuery(db: Executor, partnerId: string, itemIds: string[]) {
  return db
    .selectDistinctOn([submissionItems.partnerItemId], { itemId: submissionItems.partnerItemId, submission: submissions })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(and(eq(submissions.partnerId, partnerId), eq(submissions.isCurrent, true), inArray(submissionItems.partnerItemId, itemIds)))
    .orderBy(submissionItems.partnerItemId, sql`${submissions.createdAt} desc`, submissions.id)
}

export async function listItemsOf(db: Executor, submissionIds: string[]): Promise<ItemRow[]> {
  if (submissionIds.length === 0) return []
  return db.select().from(submissionItems).where(inArray(submissionItems.submissionId, submissionIds)).orderBy(asc(submissionItems.position))
}

export async function listAssetsOf(db: Executor, submissionIds: string[]): Promise<AssetRow[]> {
  if (submissionIds.length === 0) return []
  return db.select().from(assets).where(inArray(assets.submissionId, submissionIds)).orderBy(asc(assets.partnerAssetId))
}

