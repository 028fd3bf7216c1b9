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

/**
 * A submission as a holder page shows it: the row (`S`: all of it for the review and the decision's
 * pages, what the wallet uses for the wallet), its partner's name, its credentials and their documents.
 */
export interface HolderSubmissionRead<S = SubmissionRow> {
  submission: S
  /** As holders see it (`partnerShownName`); '' if the partner is unknown. */
  partnerName: string
  /** By position. */
  items: HolderItemRow[]
  /** Every document of the submission, by the partner's asset id. */
  assets: HolderAssetRow[]
}

/**
 * A `HolderSubmissionRead` as its statement answers it: JSON arrays, each row's columns in the order
 * of its keys (`jsonColumns`), without a key per value (a third of the text, and of its parsing, less).
 */
export type HolderSubmissionJson = [
  submission: unknown[],
  partnerName: string | null,
  items: unknown[][],
  assets: unknown[][],
]

/**
 * `keys` of `table` as a JSON array of the values of the row `alias` names (`json_build_array`, in
 * the order of `keys`) and the decoder of such an array: each value decoded by its column's own
 * mapper, as drizzle decodes it from the driver. Both are built once: a page load only decodes.
 */
function jsonColumns<T extends Table, K extends keyof T['$inferSelect'] & string>(
  table: T,
  alias: string,
  keys: readonly K[],
): { select: SQL; decode: (json: unknown[]) => Pick<T['$inferSelect'], K> } {
  const columns = getTableColumns(table) as Record<string, Column>
  const picked = keys.map((key) => ({ key, column: columns[key]! }))
  const select = sql`json_build_array(${sql.join(
    picked.map(({ column }) => sql`${sql.raw(alias)}.${sql.identifier(column.name)}`),
    sql`, `,
  )})`
  const decode = (json: unknown[]) => {
    if (json.length !== picked.length)
      throw new Error(`a ${getTableName(table)} row as JSON has ${json.length} values, not ${picked.length}`)
    const row: Record<string, unknown> = {}
    for (let i = 0; i < picked.length; i++) {
      const { key, column } = picked[i]!
      const value = json[i]
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

/** What the wallet uses of a submission it lists: when it was accepted (and its id). */
export type HolderWalletSubmission = Pick<SubmissionRow, 'id' | 'finalizedAt'>
/** A submission as the wallet reads it. */
export type HolderWalletRead = HolderSubmissionRead<HolderWalletSubmission>
const walletSubmissionJson = jsonColumns(submissions, 's', ['id', 'finalizedAt'] as const)

/** The decoder of a submission's read whose row is read as `submission` reads it. */
function readDecoder<S>(submission: { decode: (json: unknown[]) => S }) {
  return (row: HolderSubmissionJson): HolderSubmissionRead<S> => {
    const [submissionRow, partnerName, items, assetRows] = row
    return {
      submission: submission.decode(submissionRow),
      partnerName: partnerName ?? '',
      items: items.map(itemJson.decode),
      assets: assetRows.map(assetJson.decode),
    }
  }
}

/** A submission's read from its JSON (the review's), each row decoded by its table's own column mappers. */
export const decodeHolderSubmission = readDecoder(submissionJson) as (row: HolderSubmissionJson) => HolderSubmissionRead
/** A submission's read from its JSON as the wallet reads it (`holderPageColumn('wallet')`, `readHolderWallet`). */
export const decodeHolderWallet = readDecoder(walletSubmissionJson)

/**
 * The read of the submission `s` as one JSON value (`HolderSubmissionJson`): the columns of its row
 * that `submission` selects, its partner's name, its items (those `itemsWhere` keeps) and its assets,
 * with only the columns the pages use of items and assets. Read by one statement, so in one round
 * trip and one snapshot: a decision or an upload that commits meanwhile is in the page whole or not at all.
 */
function submissionRead(submission: SQL, itemsWhere: SQL): SQL {
  return sql`json_build_array(
      ${submission},
      ${partnerShownName},
      (select coalesce(json_agg(${itemJson.select} order by i.position), '[]')
         from submission_items i where i.submission_id = s.id ${itemsWhere}),
      (select coalesce(json_agg(${assetJson.select} order by a.partner_asset_id), '[]')
         from assets a where a.submission_id = s.id))`
}

/** The review's read of the submission `id` names (an SQL uuid expression): its JSON, or no row. */
function reviewRead(id: SQL): SQL {
  return sql`select ${submissionRead(submissionJson.select, sql``)} as read
    from submissions s left join partners on partners.id = s.partner_id
    where s.id = ${id}`
}

/**
 * The wallet's read of what the holder `holderId` names (an SQL uuid expression) accepted: a JSON
 * array of a read per submission, most recently accepted first, each with the credentials they
 * accepted and did not remove.
 */
function walletRead(holderId: SQL): SQL {
  return sql`select coalesce(json_agg(
        ${submissionRead(walletSubmissionJson.select, sql`and i.decision = 'accepted' and i.removed_at is null`)}
        order by s.finalized_at desc, s.id), '[]') as read
    from submissions s left join partners on partners.id = s.partner_id
    where s.holder_id = ${holderId} and s.status = 'verified'`
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
  const [row] = (await executeNamed(db, 'read_holder_submission', reviewRead(sql`${submissionId}`))) as Array<{
    read: HolderSubmissionJson
  }>
  return row ? decodeHolderSubmission(row.read) : undefined
}

/**
 * What the wallet reads: the submissions the holder accepted, most recently accepted first, each
 * with the credentials they accepted and did not remove (by position) and its documents; one
 * statement prepared once per connection.
 */
export async function readHolderWallet(db: Executor, holderId: string): Promise<HolderWalletRead[]> {
  const [row] = (await executeNamed(db, 'read_holder_wallet', walletRead(sql`${holderId}`))) as Array<{
    read: HolderSubmissionJson[]
  }>
  return (row?.read ?? []).map(decodeHolderWallet)
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
  return page === 'review'
    ? sql`(${reviewRead(sql`${alias}.pending_submission_id`)})`
    : sql`(${walletRead(sql`${alias}.holder_id`)})`
}
