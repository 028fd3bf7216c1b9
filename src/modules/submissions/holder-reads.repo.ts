import {
  and,
  type Column,
  eq,
  getTableColumns,
  getTableName,
  inArray,
  isNull,
  sql,
  type SQL,
  type Table,
} from 'drizzle-orm'
import { executeNamed, type Executor } from '../../db/client.js'
import {
  assets,
  partners,
  submissionItems,
  submissions,
  type AssetRow,
  type ItemRow,
  type SubmissionRow,
  partnerShownName,
} from '../../db/schema.js'
import { isUuid } from '../../lib/ids.js'

/** The name of the partner behind a submission, as holders see it ('' if unknown). */
export async function findPartnerName(db: Executor, partnerId: string): Promise<string> {
  const [row] = await db.select({ name: partnerShownName }).from(partners).where(eq(partners.id, partnerId))
  return row?.name ?? ''
}

/** One credential a holder accepted (its own decision, not only its submission's) and did not remove, with its submission and its partner's name; undefined otherwise (or for a malformed id). */
export async function findAcceptedItemOfHolder(
  db: Executor,
  holderId: string,
  itemId: string,
): Promise<{ item: ItemRow; submission: SubmissionRow; partnerName: string } | undefined> {
  if (!isUuid(itemId)) return undefined
  const [row] = await db
    .select({ item: submissionItems, submission: submissions, partnerName: partnerShownName })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(
      and(
        eq(submissionItems.id, itemId),
        eq(submissionItems.decision, 'accepted'),
        eq(submissions.holderId, holderId),
        eq(submissions.status, 'verified'),
        // A credential the holder removed is no longer in their wallet.
        isNull(submissionItems.removedAt),
      ),
    )
  return row
}

/** The credentials the holder accepted of these submissions (not those declined with them), in the order each partner sent them. */
export async function listAcceptedItemsOf(db: Executor, submissionIds: string[]): Promise<ItemRow[]> {
  if (submissionIds.length === 0) return []
  return db
    .select()
    .from(submissionItems)
    .where(and(inArray(submissionItems.submissionId, submissionIds), eq(submissionItems.decision, 'accepted')))
    .orderBy(submissionItems.position)
}

/** An asset with its submission, when that submission is bound to `holderId`. */
export async function findAssetOfHolder(
  db: Executor,
  holderId: string,
  assetId: string,
): Promise<{ asset: AssetRow; submission: SubmissionRow } | undefined> {
  const [row] = await db
    .select({ asset: assets, submission: submissions })
    .from(assets)
    .innerJoin(submissions, eq(submissions.id, assets.submissionId))
    .where(and(eq(assets.id, assetId), eq(submissions.holderId, holderId)))
  return row
}

/** What holder pages read of a credential (submission item): what they show of it, and its decision. */
export type HolderItemRow = Pick<
  ItemRow,
  'id' | 'credentialType' | 'displayTitle' | 'fields' | 'partnerChain' | 'decision' | 'revokedAt' | 'revokeReason'
>
/** What holder pages read of a document (asset): what they show of it, and whether it is stored (`blobKey`). */
export type HolderAssetRow = Pick<
  AssetRow,
  'id' | 'itemId' | 'assetType' | 'state' | 'rejectReason' | 'verification' | 'bytes' | 'blobKey'
>
const ITEM_KEYS = [
  'id',
  'credentialType',
  'displayTitle',
  'fields',
  'partnerChain',
  'decision',
  'revokedAt',
  'revokeReason',
] as const satisfies ReadonlyArray<keyof HolderItemRow>
const ASSET_KEYS = [
  'id',
  'itemId',
  'assetType',
  'state',
  'rejectReason',
  'verification',
  'bytes',
  'blobKey',
] as const satisfies ReadonlyArray<keyof HolderAssetRow>

/** A submission as a holder page shows it: the row, its partner's name, its credentials and their documents. */
export interface HolderSubmissionRead {
  submission: SubmissionRow
  /** As holders see it (`partnerShownName`); '' if the partner is unknown. */
  partnerName: string
  /** By position. */
  items: HolderItemRow[]
  /** Every document of the submission, by the partner's asset id. */
  assets: HolderAssetRow[]
}

type JsonRow = Record<string, unknown>
/** A `HolderSubmissionRead` as its statement answers it (JSON). */
export type HolderSubmissionJson = {
  submission: JsonRow
  partner_name: string | null
  items: JsonRow[]
  assets: JsonRow[]
}

/**
 * `keys` of `table` as a JSON object of the row `alias` names (`json_build_object`, keyed by the
 * columns' database names, as `row_to_json` would) and the decoder of such an object: each value
 * decoded by its column's own mapper, as drizzle decodes it from the driver. Both are built once:
 * a page load only runs the decoder.
 */
function jsonColumns<T extends Table, K extends keyof T['$inferSelect'] & string>(
  table: T,
  alias: string,
  keys: readonly K[],
): { select: SQL; decode: (json: JsonRow) => Pick<T['$inferSelect'], K> } {
  const columns = getTableColumns(table) as Record<string, Column>
  const picked = keys.map((key) => ({ key, column: columns[key]! }))
  const select = sql`json_build_object(${sql.join(
    picked.map(({ column }) => sql`${sql.raw(`'${column.name}'`)}, ${sql.raw(alias)}.${sql.identifier(column.name)}`),
    sql`, `,
  )})`
  const decode = (json: JsonRow) => {
    const row: JsonRow = {}
    for (const { key, column } of picked) {
      if (!(column.name in json)) throw new Error(`a ${getTableName(table)} row as JSON has no column ${column.name}`)
      const value = json[column.name]
      row[key] = value === null ? null : column.mapFromDriverValue(value)
    }
    return row as Pick<T['$inferSelect'], K>
  }
  return { select, decode }
}

const SUBMISSION_KEYS = Object.keys(getTableColumns(submissions)) as Array<keyof SubmissionRow & string>
const submissionJson = jsonColumns(submissions, 's', SUBMISSION_KEYS)
const itemJson = jsonColumns(submissionItems, 'i', ITEM_KEYS)
const assetJson = jsonColumns(assets, 'a', ASSET_KEYS)

/** A submission's read from its JSON, each row decoded by its table's own column mappers. */
export function decodeHolderSubmission(row: HolderSubmissionJson): HolderSubmissionRead {
  return {
    submission: submissionJson.decode(row.submission) as SubmissionRow,
    partnerName: row.partner_name ?? '',
    items: row.items.map(itemJson.decode),
    assets: row.assets.map(assetJson.decode),
  }
}

/**
 * The submission, its partner's name, items and assets as columns of one row per submission
 * (`where`, `itemsWhere` pick them). One statement, so one round trip and one snapshot: a decision or
 * an upload that commits meanwhile is in the page whole or not at all. Rows come back as JSON, with
 * only the columns the pages use of items and assets, and are decoded by the tables' own column mappers.
 */
function holderSubmissionsQuery(where: SQL, itemsWhere: SQL, orderBy: SQL, extraColumns: SQL = sql``): SQL {
  return sql`
    select ${extraColumns}
      row_to_json(s) as submission,
      ${partnerShownName} as partner_name,
      (select coalesce(json_agg(${itemJson.select} order by i.position), '[]')
         from submission_items i where i.submission_id = s.id ${itemsWhere}) as items,
      (select coalesce(json_agg(${assetJson.select} order by a.partner_asset_id), '[]')
         from assets a where a.submission_id = s.id) as assets
    from submissions s
    left join partners on partners.id = s.partner_id
    where ${where}
    ${orderBy}`
}

/** The review's read of the submission `id` names (an SQL uuid expression): one row, or none. */
function reviewQuery(id: SQL): SQL {
  return holderSubmissionsQuery(sql`s.id = ${id}`, sql``, sql``)
}

/**
 * The wallet's read of what the holder `holderId` names (an SQL uuid expression) accepted: a row per
 * submission, most recently accepted first (`sort_at`, `sort_id`: its order, for an aggregate of it).
 */
function walletQuery(holderId: SQL): SQL {
  return holderSubmissionsQuery(
    sql`s.holder_id = ${holderId} and s.status = 'verified'`,
    sql`and i.decision = 'accepted' and i.removed_at is null`,
    sql`order by s.finalized_at desc, s.id`,
    sql`s.finalized_at as sort_at, s.id as sort_id,`,
  )
}

/**
 * What the review page (and the pages of the decision) read of one submission, in one statement
 * prepared once per connection; undefined for an unknown (or malformed) id.
 */
export async function readHolderSubmission(
  db: Executor,
  submissionId: string,
): Promise<HolderSubmissionRead | undefined> {
  if (!isUuid(submissionId)) return undefined
  const [row] = (await executeNamed(
    db,
    'read_holder_submission',
    reviewQuery(sql`${submissionId}`),
  )) as HolderSubmissionJson[]
  return row ? decodeHolderSubmission(row) : undefined
}

/**
 * What the wallet reads: the submissions the holder accepted, most recently accepted first, each
 * with the credentials they accepted and did not remove (by position) and its documents; one
 * statement prepared once per connection.
 */
export async function readHolderWallet(db: Executor, holderId: string): Promise<HolderSubmissionRead[]> {
  const rows = (await executeNamed(db, 'read_holder_wallet', walletQuery(sql`${holderId}`))) as HolderSubmissionJson[]
  return rows.map(decodeHolderSubmission)
}

/** The pages whose read can come with the session's (`holderPageColumn`). */
export type HolderPage = 'review' | 'wallet'

/**
 * A column giving, beside a session row (`session`: its SQL alias), what `page` reads for it: for
 * the review, the `HolderSubmissionJson` of the session's pending submission (null when none); for
 * the wallet, the JSON array of those of its holder's accepted submissions (as `readHolderWallet`).
 * So the session and the page are read in one statement.
 */
export function holderPageColumn(page: HolderPage, session: string): SQL {
  const alias = sql.raw(session)
  if (page === 'review') {
    return sql`(select row_to_json(r) from (${reviewQuery(sql`${alias}.pending_submission_id`)}) r)`
  }
  return sql`(select coalesce(json_agg(row_to_json(w) order by w.sort_at desc, w.sort_id), '[]')
                from (${walletQuery(sql`${alias}.holder_id`)}) w)`
}
