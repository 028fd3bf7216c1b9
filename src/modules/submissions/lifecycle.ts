import type { Db, Executor } from '../../db/client.js'
import type { ItemRow, SubmissionRow } from '../../db/schema.js'
import type { Clock } from '../../lib/clock.js'
import type { BlobStore } from '../../storage/blob-store.js'
import { deleteScheduledBlobs, scheduleBlobDeletions } from '../../storage/blob-deletions.js'
import {
  claimDueSubmissions,
  claimHolder,
  deleteItemData,
  deleteSubmissionData,
  listItemIdsOf,
  lockItem,
  lockSubmission,
  markDecided,
  markExpired,
  markRevoked,
  markWithdrawn,
} from './lifecycle.repo.js'
import { AppError } from '../../errors.js'
import { recordEvent } from '../webhooks/index.js'
import {
  assertDecidable,
  assertFound,
  assertHeldBy,
  assertRevocable,
  assertWithdrawable,
  effectiveStatus,
} from './submission-state.js'
import { findSubmission } from './submissions.repo.js'

/** What binding needs. */
export interface BindDeps {
  db: Db
  clock: Clock
}

/**
 * What the transitions that delete data (decline, expire) need: documents go from the blob store
 * too, recorded in the transition's transaction and deleted after its commit (a failure is
 * retried by a job: src/storage/blob-deletions.ts).
 */
export interface LifecycleDeps extends BindDeps {
  blobs: BlobStore
}

/** A holder's decision on one submission. */
export interface DecisionInput {
  submissionId: string
  holderId: string
}

/**
 * bind: gives a submission to the first signed-in holder who opens it, recording when it was first
 * opened (spec §10), with its `submission.opened` event. Returns the submission, which is this holder's (now, or already: perhaps
 * bound meanwhile from another tab). Throws `not_found` for an unknown submission and `forbidden`
 * when another holder has it.
 */
export async function bindHolder(deps: BindDeps, input: DecisionInput): Promise<SubmissionRow> {
  const bound = await deps.db.transaction(async (tx) => {
    const now = deps.clock.now()
    const row = await claimHolder(tx, input.submissionId, input.holderId, now)
    // The first binding opens the submission: its webhook event commits with it.
    if (row) await recordEvent(tx, { type: 'submission.opened', submissionId: row.id, status: row.status, now })
    return row
  })
  if (bound) return bound
  const row = await findSubmission(deps.db, input.submissionId)
  assertFound(row)
  assertHeldBy(row, input.holderId)
  return row
}

/** A holder's decision naming the credentials they accept; every other one is declined. */
export interface ItemDecisionInput extends DecisionInput {
  acceptedItemIds: readonly string[]
}

/**
 * decide: the bound holder accepts some credentials of an open submission and declines the others
 * (per-item consent). At least one accepted → `verified`, event `submission.verified`; the
 * declined ones' data and documents are deleted (purge, per item). None accepted → as
 * `declineByHolder`. Each credential's decision is recorded. Throws `not_found`, `forbidden`,
 * `conflict` when it is not theirs to decide, or not any more, and `invalid_parameter` when an id
 * is not a credential of this submission.
 */
export async function decideByHolder(deps: LifecycleDeps, input: ItemDecisionInput): Promise<SubmissionRow> {
  return decide(deps, input, input.acceptedItemIds)
}

/** accept: `decideByHolder` accepting every credential of the submission. */
export async function acceptByHolder(deps: LifecycleDeps, input: DecisionInput): Promise<SubmissionRow> {
  return decide(deps, input, 'all')
}

/**
 * decline: the bound holder refuses an open submission (`canceled`, reason `declined`), and then
 * nothing of its credentials or documents is kept (purge, as on expiry); event `submission.canceled`. Throws as `acceptByHolder`.
 */
export async function declineByHolder(deps: LifecycleDeps, input: DecisionInput): Promise<SubmissionRow> {
  return decide(deps, input, [])
}

async function decide(
  deps: LifecycleDeps,
  input: DecisionInput,
  accepting: readonly string[] | 'all',
): Promise<SubmissionRow> {
  const { row, blobKeys } = await deps.db.transaction(async (tx) => {
    const current = await lockSubmission(tx, input.submissionId)
    // The deadline is judged once the row is ours: an answer that waited on a lock past it is too late.
    const now = deps.clock.now()
    assertFound(current)
    assertDecidable(current, input.holderId, now)
    const itemIds = await listItemIdsOf(tx, current.id)
    const accepted = accepting === 'all' ? itemIds : acceptedOf(itemIds, accepting)
    const declined = itemIds.filter((id) => !accepted.includes(id))
    const decided = await markDecided(tx, current.id, accepted, now)
    const at = { submissionId: decided.id, now }
    // markDecided: one credential accepted or more → `verified`, none → `canceled`.
    if (decided.status === 'verified') {
      await recordEvent(tx, { ...at, type: 'submission.verified', status: 'verified' })
      return { row: decided, blobKeys: await purgeItems(tx, declined, now) }
    }
    await recordEvent(tx, { ...at, type: 'submission.canceled', status: 'canceled' })
    return { row: decided, blobKeys: await purge(tx, [decided.id], now) }
  })
  await deleteScheduledBlobs(deps, blobKeys)
  return row
}

/** The accepted ids, in the submission's order; an id of no credential of it is refused. */
function acceptedOf(itemIds: readonly string[], accepting: readonly string[]): string[] {
  const wanted = new Set(accepting)
  for (const id of wanted)
    if (!itemIds.includes(id)) throw new AppError('invalid_parameter', 'Not a credential of this submission')
  return itemIds.filter((id) => wanted.has(id))
}

/**
 * expire: cancels up to `limit` submissions still `incomplete` past their expiry (spec §10),
 * finalized when they expired, and purges them, each with its `submission.expired` event. Rows are claimed with `FOR UPDATE SKIP LOCKED`,
 * so several instances sharing a database expire each submission exactly once. Blobs are deleted
 * after the commit. Returns how many submissions it expired.
 */
export async function expireSubmissions(deps: LifecycleDeps, options: { limit: number }): Promise<number> {
  const now = deps.clock.now()
  const { expired, blobKeys } = await deps.db.transaction(async (tx) => {
    const ids = await claimDueSubmissions(tx, now, options.limit)
    if (ids.length === 0) return { expired: 0, blobKeys: [] as string[] }
    await markExpired(tx, ids)
    for (const id of ids)
      await recordEvent(tx, { type: 'submission.expired', submissionId: id, status: 'canceled', now })
    return { expired: ids.length, blobKeys: await purge(tx, ids, now) }
  })
  await deleteScheduledBlobs(deps, blobKeys)
  return expired
}

/**
 * withdraw: the submission's partner takes back a submission the holder has not decided
 * (`canceled`, reason `withdrawn`, finalized now), and then nothing of its credentials or documents
 * is kept (purge); event `submission.withdrawn`. A submission already canceled (withdrawn,
 * declined or expired, even before the expiry job ran) is returned as it is, with no event: the
 * call is idempotent. A `verified` one is a `conflict` (its credentials are revoked one by one).
 * Returns the submission and whether this call withdrew it.
 */
export async function withdrawByIssuer(
  deps: LifecycleDeps,
  input: { submissionId: string },
): Promise<{ row: SubmissionRow; withdrawn: boolean }> {
  const { row, withdrawn, blobKeys } = await deps.db.transaction(async (tx) => {
    const current = await lockSubmission(tx, input.submissionId)
    const now = deps.clock.now()
    assertFound(current)
    assertWithdrawable(current)
    if (effectiveStatus(current, now).status !== 'incomplete')
      return { row: current, withdrawn: false, blobKeys: [] as string[] }
    const canceled = await markWithdrawn(tx, current.id, now)
    await recordEvent(tx, { type: 'submission.withdrawn', submissionId: current.id, status: 'canceled', now })
    return { row: canceled, withdrawn: true, blobKeys: await purge(tx, [current.id], now) }
  })
  await deleteScheduledBlobs(deps, blobKeys)
  return { row, withdrawn }
}

/**
 * revoke: the partner revokes a credential the holder accepted: `revoked_at` and the reason are set
 * once, the credential stays in the wallet marked revoked; event `credential.revoked`. Revoking it
 * again changes nothing (the first date and reason stay; no event). A credential not accepted is a
 * `conflict`. Locks the submission, then the item (the order of every transition).
 */
export async function revokeByIssuer(
  deps: BindDeps,
  input: { submissionId: string; itemId: string; reason: string },
): Promise<{ item: ItemRow; revoked: boolean }> {
  return deps.db.transaction(async (tx) => {
    const submission = await lockSubmission(tx, input.submissionId)
    assertFound(submission)
    const item = await lockItem(tx, input.itemId)
    if (!item || item.submissionId !== submission.id) throw new AppError('not_found', 'No such credential')
    assertRevocable(item, submission.status)
    if (item.revokedAt) return { item, revoked: false }
    const now = deps.clock.now()
    const revoked = await markRevoked(tx, item.id, input.reason, now)
    await recordEvent(tx, {
      type: 'credential.revoked',
      submissionId: submission.id,
      status: 'revoked',
      credentialId: item.partnerItemId,
      now,
    })
    return { item: revoked, revoked: true }
  })
}

/**
 * purge: deletes what a submission finished without acceptance must not keep (spec §10):
 * credential fields, partner chains, titles, document references; awaited documents become
 * `missing`. Runs inside the transaction of the transition that finished the submissions, records
 * the blobs to delete in it, and returns their keys, to delete once it commits.
 */
async function purge(tx: Executor, ids: string[], now: Date): Promise<string[]> {
  const keys = await deleteSubmissionData(tx, ids, now)
  await scheduleBlobDeletions(tx, keys, now)
  return keys
}

/** purge, per credential: the credentials a holder declined in a submission they otherwise accepted. */
async function purgeItems(tx: Executor, itemIds: readonly string[], now: Date): Promise<string[]> {
  const keys = await deleteItemData(tx, itemIds)
  await scheduleBlobDeletions(tx, keys, now)
  return keys
}
