import { and, asc, eq, inArray, sql, type SQL, type Table } from 'drizzle-orm'
import { executeNamed, type Executor } from '../../db/client.js'
import { completeRow, fromJson, insertJson } from '../../db/rows.js'
import { assets, idempotencyKeys, submissionItems, submissions } from '../../db/schema.js'

export type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'
import type { AssetRow, ItemRow, SubmissionRow } from '../../db/schema.js'

/** The submission answering for a partner's id now (locked for the rest of the transaction). */
export async function lockCurrentSubmission(
  db: Executor,
  partnerId: string,
  partnerRef: string,
): Promise<SubmissionRow | undefined> {
  const [row] = await db
    .select()
    .from(submissions)
    .where(
      and(
        eq(submissions.partnerId, partnerId),
        eq(submissions.partnerRef, partnerRef),
        eq(submissions.isCurrent, true),
      ),
    )
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

/** A submission to insert: what the schema cannot default, and its creation time (the Idempotency-Key's too). */
export type NewSubmission = typeof submissions.$inferInsert & Pick<SubmissionRow, 'createdAt'>
/** An item to insert with its submission (which gives it its partner). */
export type NewItemRow = Omit<typeof submissionItems.$inferInsert, 'partnerId'>
/** An asset to insert with its submission. */
export type NewAssetRow = typeof assets.$inferInsert

/** A new submission's whole row, as it will be stored (the schema's defaults filled in). */
export function newSubmissionRow(values: NewSubmission): SubmissionRow {
  return completeRow(submissions, values)
}

/** Everything a new submission stores, decided in memory before the one statement that stores it. */
export interface NewSubmissionRows {
  submission: NewSubmission
  items: NewItemRow[]
  assets: NewAssetRow[]
  /** The `Idempotency-Key` it answers for, if the request had one. */
  idempotencyKey: string | null
}

/**
 * Stores new submissions with their items, assets and Idempotency-Keys in one prepared statement
 * (one round trip, atomic without a transaction: all of them or, on an error, none). A submission
 * whose partner's id already has a current submission (another one, or one earlier in `list`) is
 * skipped with its rows. Answers the ids of the submissions stored; a key that is already taken
 * fails the whole statement with a unique violation.
 */
export async function insertSubmissions(db: Executor, list: NewSubmissionRows[]): Promise<Set<string>> {
  // Rows as JSON keyed by column names: the statement takes every column from the table itself
  // (`jsonb_populate_recordset`), so no column is listed twice, here or in the SQL.
  // Filled by push: a packed array (optimised `map` may make a holey one, which JSON.stringify writes slowly).
  const json = <T extends Table>(table: T, values: T['$inferInsert'][]) => {
    const rows: Array<Record<string, unknown>> = []
    for (const v of values) rows.push(insertJson(table, v))
    return JSON.stringify(rows)
  }
  const keys = list.flatMap(({ submission: s, idempotencyKey: key }) =>
    key === null
      ? []
      : [
          {
            partnerId: s.partnerId,
            key,
            bodyHash: s.bodyHash,
            submissionId: s.id,
            createdAt: s.createdAt,
            expiresAt: s.expiresAt,
          },
        ],
  )
  const items = list.flatMap((rows) => rows.items.map((i) => ({ ...i, partnerId: rows.submission.partnerId })))
  // Items, assets and keys go in only with a submission that went in (`join new_submission`).
  const stored = (await executeNamed(
    db,
    'insert_submissions',
    sql`
    with new_submission as (
      insert into submissions
      select * from jsonb_populate_recordset(null::submissions, ${json(
        submissions,
        list.map((rows) => rows.submission),
      )}::jsonb)
      on conflict (partner_id, partner_ref) where is_current do nothing
      returning id
    ), new_items as (
      insert into submission_items
      select i.* from jsonb_populate_recordset(null::submission_items, ${json(submissionItems, items)}::jsonb) as i
      join new_submission s on s.id = i.submission_id
    ), new_assets as (
      insert into assets
      select a.* from jsonb_populate_recordset(null::assets, ${json(
        assets,
        list.flatMap((rows) => rows.assets),
      )}::jsonb) as a
      join new_submission s on s.id = a.submission_id
    ), new_key as (
      insert into idempotency_keys
      select k.* from jsonb_populate_recordset(null::idempotency_keys, ${json(idempotencyKeys, keys)}::jsonb) as k
      join new_submission s on s.id = k.submission_id
    )
    select id from new_submission`,
  )) as Array<{ id: string }>
  return new Set(stored.map((row) => row.id))
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
export async function listInlineAssetsAwaiting(
  db: Executor,
  submissionId: string,
): Promise<Array<{ id: string; partnerAssetId: string; partnerItemId: string }>> {
  return db
    .select({ id: assets.id, partnerAssetId: assets.partnerAssetId, partnerItemId: submissionItems.partnerItemId })
    .from(assets)
    .innerJoin(submissionItems, eq(submissionItems.id, assets.itemId))
    .where(and(eq(assets.submissionId, submissionId), eq(assets.state, 'awaiting_upload'), eq(assets.source, 'inline')))
}

export async function findIdempotencyKey(db: Executor, partnerId: string, key: string) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.partnerId, partnerId), eq(idempotencyKeys.key, key)))
    .for('update')
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

/**
 * `ids` as one statement parameter (a JSON array), for `= any(…)`: the text of a statement using it
 * stays the same whatever the number of ids, so `executeNamed` can prepare it once.
 */
function oneParameterArray(ids: string[]): SQL {
  return sql`array(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
}

/**
 * `is_current` written out, not compared with a parameter: a prepared statement's generic plan
 * can use the partial index `submissions_current_ref_idx` (`where is_current`) only then.
 */
const isCurrent = sql`${submissions.isCurrent}`

/**
 * For each of `itemIds`, the newest current submission of a partner holding an item with that id
 * (found through the item id index; one row per id however often the partner reused it). Unexecuted:
 * `readStatuses` runs it inside its statement, and its plan is tested.
 */
export function currentByItemIdsQuery(db: Executor, partnerId: string, itemIds: string[] | SQL) {
  const ids = Array.isArray(itemIds) ? oneParameterArray(itemIds) : itemIds
  return db
    .selectDistinctOn([submissionItems.partnerItemId], {
      itemId: submissionItems.partnerItemId,
      submission: submissions,
    })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(
      and(
        eq(submissionItems.partnerId, partnerId),
        eq(submissions.partnerId, partnerId),
        isCurrent,
        sql`${submissionItems.partnerItemId} = any(${ids})`,
      ),
    )
    .orderBy(submissionItems.partnerItemId, sql`${submissions.createdAt} desc`, submissions.id)
}

export async function listItemsOf(db: Executor, submissionIds: string[]): Promise<ItemRow[]> {
  if (submissionIds.length === 0) return []
  return db
    .select()
    .from(submissionItems)
    .where(inArray(submissionItems.submissionId, submissionIds))
    .orderBy(asc(submissionItems.position))
}

export async function listAssetsOf(db: Executor, submissionIds: string[]): Promise<AssetRow[]> {
  if (submissionIds.length === 0) return []
  return db.select().from(assets).where(inArray(assets.submissionId, submissionIds)).orderBy(asc(assets.partnerAssetId))
}

/** A submission as the status API shows it: its items by position, each with its assets by the partner's asset id. */
export interface StatusRead {
  submission: SubmissionRow
  /** The ids asked for that found this submission as the newest current one holding an item with that id. */
  askedItemIds: string[]
  items: Array<
    Pick<ItemRow, 'id' | 'partnerItemId' | 'credentialType' | 'decision' | 'revokedAt'> & { assets: AssetRow[] }
  >
}

/**
 * The current submissions of a partner that `ids` name — by the submission's own id, or by the id
 * of an item in it (`currentByItemIdsQuery`) — with their items (by position, as `listItemsOf`)
 * and their assets (by partner asset id, as `listAssetsOf`), read in ONE statement.
 *
 * One statement reads one snapshot, so a decision, an expiry or an upload that commits meanwhile
 * is in the answer whole or not at all. Separate autocommit reads (submissions, then items, then
 * assets) at READ COMMITTED could answer with a submission from before it beside assets from
 * after it: `incomplete` with assets already `missing`. A REPEATABLE READ, READ ONLY transaction
 * around those reads is consistent too, but was the slowest of all (BEGIN, the four reads queued
 * on its one connection, COMMIT: six round trips). This statement is one round trip, prepared
 * once per connection by `executeNamed` (the ids are one JSON parameter, so its text never
 * changes): unprepared, planning it cost PostgreSQL about as much as running it. Rows come back
 * as JSON and are decoded by the tables' own column mappers: the same typed rows on both
 * drivers, whatever their type parsers.
 */
export async function readStatuses(db: Executor, partnerId: string, ids: string[]): Promise<StatusRead[]> {
  if (ids.length === 0) return []
  const rows = (await executeNamed(db, 'read_statuses', readStatusesQuery(db, partnerId, ids))) as StatusRow[]
  return rows.map((row) => ({
    submission: fromJson(submissions, row.submission),
    askedItemIds: row.asked_item_ids,
    items: row.items.map((item) => ({
      id: item.id as string,
      partnerItemId: item.partner_item_id as string,
      credentialType: item.credential_type as string,
      decision: (item.decision ?? null) as ItemRow['decision'],
      revokedAt: item.revoked_at ? new Date(item.revoked_at as string) : null,
      assets: item.assets.map((asset) => fromJson(assets, asset)),
    })),
  }))
}

type JsonRow = Record<string, unknown>
type StatusRow = { submission: JsonRow; asked_item_ids: string[]; items: Array<JsonRow & { assets: JsonRow[] }> }

/** The statement of `readStatuses`, unexecuted (its plan is tested). */
export function readStatusesQuery(db: Executor, partnerId: string, ids: string[]): SQL {
  const byRef = db
    .select({ id: submissions.id, partnerRef: submissions.partnerRef })
    .from(submissions)
    .where(
      and(
        eq(submissions.partnerId, partnerId),
        isCurrent,
        sql`${submissions.partnerRef} = any(${oneParameterArray(ids)})`,
      ),
    )
  // Only the ids that name no submission of the partner's are looked up as item ids (as before the
  // one-statement read): a submission id is never also walked as an item id.
  const notSubmissionIds = sql`array(select asked from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as asked
                                     where asked not in (select partner_ref from by_ref))`
  // `s.id = any(array(…))`, not `s.id in (…)`: the few submissions found are fetched by primary key
  // (with `in`, the planner hashed them and scanned every submission of a table of a few thousand).
  return sql`
    with by_ref as (${byRef}),
    by_item as (${currentByItemIdsQuery(db, partnerId, notSubmissionIds)}),
    found as (select id from by_ref union all select id from by_item)
    select
      row_to_json(s) as submission,
      (select coalesce(json_agg(b.partner_item_id), '[]') from by_item b where b.id = s.id) as asked_item_ids,
      (select coalesce(json_agg(json_build_object(
                'id', i.id,
                'partner_item_id', i.partner_item_id,
                'credential_type', i.credential_type,
                'decision', i.decision,
                'revoked_at', i.revoked_at,
                'assets', (select coalesce(json_agg(row_to_json(a) order by a.partner_asset_id), '[]')
                           from assets a where a.item_id = i.id and a.submission_id = s.id)
              ) order by i.position), '[]')
       from submission_items i where i.submission_id = s.id) as items
    from submissions s
    where s.id = any(array(select id from found))`
}
