import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import { isUuid } from '../../lib/ids.js'
import type { Executor, Transaction } from '../../db/client.js'
import { recordEvent } from '../webhooks/index.js'
import { assets, partners, submissions, type AssetState } from '../../db/schema.js'

export type { AssetRow, SubmissionRow } from '../../db/schema.js'
import type { AssetRow, SubmissionRow } from '../../db/schema.js'
export type AssetSource = AssetRow['source']

/** An asset with the submission it belongs to, or null (also for ids that are not UUIDs). */
export async function findAssetWithSubmission(
  db: Executor,
  assetId: string,
): Promise<{ asset: AssetRow; submission: SubmissionRow } | null> {
  if (!isUuid(assetId)) return null
  const rows = await db
    .select({ asset: assets, submission: submissions })
    .from(assets)
    .innerJoin(submissions, eq(submissions.id, assets.submissionId))
    .where(eq(assets.id, assetId))
  return rows[0] ?? null
}

/** The submission still takes documents: incomplete, not past its expiry, data not deleted. */
function submissionOpen(now: Date): SQL {
  return sql`exists (select 1 from ${submissions} where ${submissions.id} = ${assets.submissionId} and ${submissions.status} = 'incomplete' and ${submissions.expiresAt} > ${now.toISOString()}::timestamptz and ${submissions.dataDeletedAt} is null)`
}

/** Which asset rows a write may touch: the states (and fetch attempt) the caller saw. */
export interface AssetGuard {
  states: readonly AssetState[]
  source: AssetSource
  /** For the fetcher: the attempt it claimed, so a worker whose lease ran out cannot overwrite a newer one. */
  fetchAttempts?: number
}

function guardCondition(assetId: string, guard: AssetGuard, now: Date): SQL | undefined {
  return and(
    eq(assets.id, assetId),
    inArray(assets.state, [...guard.states]),
    eq(assets.source, guard.source),
    guard.fetchAttempts === undefined ? undefined : eq(assets.fetchAttempts, guard.fetchAttempts),
    submissionOpen(now),
  )
}

/** The states a stored document can have. */
export type StoredAssetState = Extract<AssetState, 'received' | 'verified' | 'rejected'>

/** The asset's webhook event (`asset.received`, or `asset.rejected`), in the transaction that marked it. */
async function recordAssetEvent(tx: Transaction, row: AssetRow, state: StoredAssetState, now: Date): Promise<void> {
  const at = { submissionId: row.submissionId, assetId: row.partnerAssetId, now }
  await recordEvent(
    tx,
    state === 'rejected'
      ? { ...at, type: 'asset.rejected', status: state }
      : { ...at, type: 'asset.received', status: state },
  )
}

/**
 * Records a stored document in one guarded UPDATE: of several concurrent writers of one asset,
 * exactly one gets the row back; the others get null (and must delete their blob). The winner's
 * webhook event (`asset.received`, or `asset.rejected` for an OpenCerts document that failed) is
 * written in the same transaction.
 */
export async function markAssetStored(
  db: Transaction,
  assetId: string,
  guard: AssetGuard,
  values: {
    state: StoredAssetState
    rejectReason: string | null
    blobKey: string
    bytes: number
    sha256: string
    verification: Record<string, unknown> | null
    receivedAt: Date
  },
): Promise<AssetRow | null> {
  const rows = await db
    .update(assets)
    .set({ ...values, sourceUrl: null, fetchAfter: null })
    .where(guardCondition(assetId, guard, values.receivedAt))
    .returning()
  if (rows[0]) await recordAssetEvent(db, rows[0], values.state, values.receivedAt)
  return rows[0] ?? null
}

/**
 * Marks a document that could not be taken as rejected with a reason (guarded like
 * markAssetStored), with its `asset.rejected` event in the same transaction.
 */
export async function markAssetRejected(
  db: Transaction,
  assetId: string,
  guard: AssetGuard,
  reason: string,
  now: Date,
): Promise<AssetRow | null> {
  const rows = await db
    .update(assets)
    .set({ state: 'rejected', rejectReason: reason, sourceUrl: null, fetchAfter: null })
    .where(guardCondition(assetId, guard, now))
    .returning()
  if (rows[0]) await recordAssetEvent(db, rows[0], 'rejected', now)
  return rows[0] ?? null
}

/** An asset claimed by the document fetcher, with what it needs to fetch it. */
export interface FetchClaim {
  id: string
  submissionId: string
  assetType: AssetRow['assetType']
  sourceUrl: string | null
  /** The attempt this claim is (fetch_attempts after the claim). */
  fetchAttempts: number
  documentHosts: string[]
}

/**
 * Claims up to `limit` assets due for fetching: their `fetch_after` is pushed `leaseMs` ahead and
 * their attempt counted, so no other instance takes them meanwhile (`FOR UPDATE SKIP LOCKED`).
 * The claim commits at once: the HTTP fetch then runs outside any transaction.
 */
export async function claimAssetsToFetch(
  db: Executor,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<FetchClaim[]> {
  const nowText = now.toISOString()
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString()
  const due = sql`select ${assets.id} from ${assets}
    join ${submissions} on ${submissions.id} = ${assets.submissionId}
    where ${assets.state} = 'awaiting_fetch' and ${assets.source} = 'url'
      and (${assets.fetchAfter} is null or ${assets.fetchAfter} <= ${nowText}::timestamptz)
      and ${submissions.status} = 'incomplete' and ${submissions.expiresAt} > ${nowText}::timestamptz
    order by ${assets.fetchAfter} nulls first
    limit ${limit}
    for update of ${assets} skip locked`
  const claimed = await db
    .update(assets)
    .set({ fetchAfter: sql`${leaseUntil}::timestamptz`, fetchAttempts: sql`${assets.fetchAttempts} + 1` })
    .where(sql`${assets.id} in (${due})`)
    .returning({
      id: assets.id,
      submissionId: assets.submissionId,
      assetType: assets.assetType,
      sourceUrl: assets.sourceUrl,
      fetchAttempts: assets.fetchAttempts,
    })
  if (claimed.length === 0) return []
  const hosts = await db
    .select({ submissionId: submissions.id, documentHosts: partners.documentHosts })
    .from(submissions)
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(inArray(submissions.id, [...new Set(claimed.map((c) => c.submissionId))]))
  const bySubmission = new Map(hosts.map((h) => [h.submissionId, h.documentHosts]))
  return claimed.map((c) => ({ ...c, documentHosts: bySubmission.get(c.submissionId) ?? [] }))
}

/** Schedules another fetch attempt of a claimed asset (after a network failure). */
export async function rescheduleFetch(
  db: Executor,
  claim: Pick<FetchClaim, 'id' | 'fetchAttempts'>,
  fetchAfter: Date,
): Promise<boolean> {
  const rows = await db
    .update(assets)
    .set({ fetchAfter })
    .where(
      and(eq(assets.id, claim.id), eq(assets.state, 'awaiting_fetch'), eq(assets.fetchAttempts, claim.fetchAttempts)),
    )
    .returning({ id: assets.id })
  return rows.length > 0
}

/**
 * Assets of open submissions (or of one: `submissionId`) awaiting a direct upload, after
 * `afterId` in id order (a pass goes on where the last one stopped, so every awaited asset is
 * looked at however many there are).
 */
export async function listAwaitedUploads(
  db: Executor,
  options: { afterId: string | null; limit: number; now: Date; submissionId?: string },
): Promise<AssetRow[]> {
  return db
    .select()
    .from(assets)
    .where(
      and(
        eq(assets.state, 'awaiting_upload'),
        eq(assets.source, 'upload'),
        options.afterId ? sql`${assets.id} > ${options.afterId}` : undefined,
        options.submissionId ? eq(assets.submissionId, options.submissionId) : undefined,
        submissionOpen(options.now),
      ),
    )
    .orderBy(assets.id)
    .limit(options.limit)
}

/**
 * Claims an awaited direct upload whose object arrived, for one completion pass until
 * `claimedUntil`: true when this pass may copy and read it, false while another pass (on any
 * instance) holds it, or when it no longer awaits an upload.
 */
export async function claimArrivedUpload(
  db: Executor,
  assetId: string,
  now: Date,
  claimedUntil: Date,
): Promise<boolean> {
  const rows = await db
    .update(assets)
    .set({ arrivalClaimedUntil: claimedUntil })
    .where(
      and(
        eq(assets.id, assetId),
        eq(assets.state, 'awaiting_upload'),
        eq(assets.source, 'upload'),
        sql`(${assets.arrivalClaimedUntil} is null or ${assets.arrivalClaimedUntil} <= ${now.toISOString()}::timestamptz)`,
      ),
    )
    .returning({ id: assets.id })
  return rows.length > 0
}

/** Gives a claim of `claimArrivedUpload` back (the pass did not record the asset): the next pass may look. */
export async function releaseArrivedUpload(db: Executor, assetId: string, claimedUntil: Date): Promise<void> {
  await db
    .update(assets)
    .set({ arrivalClaimedUntil: null })
    .where(and(eq(assets.id, assetId), eq(assets.arrivalClaimedUntil, claimedUntil)))
}

/** Which of these assets still await a direct upload, in an open submission. */
export async function stillAwaitedUploads(db: Executor, assetIds: string[], now: Date): Promise<Set<string>> {
  const valid = assetIds.filter(isUuid)
  if (valid.length === 0) return new Set()
  const rows = await db
    .select({ id: assets.id })
    .from(assets)
    .where(
      and(
        inArray(assets.id, valid),
        eq(assets.state, 'awaiting_upload'),
        eq(assets.source, 'upload'),
        submissionOpen(now),
      ),
    )
  return new Set(rows.map((row) => row.id))
}
