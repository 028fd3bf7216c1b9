import type { AssetRow, ItemRow, ItemStatus, SubmissionRow } from '../../db/schema.js'
import { AppError } from '../../errors.js'

/*
 * The lifecycle of a submission (spec §10), every transition of which lives in `lifecycle.ts`:
 *
 *   incomplete ── bind ───────────▶ incomplete, bound to the first holder who opens it (opened_at set once)
 *   incomplete ── decide ─────────▶ verified            (its bound holder, before expires_at, accepting ≥ 1
 *                                                         credential; the declined ones are purged)
 *   incomplete ── decide ─────────▶ canceled (declined)  (its bound holder, before expires_at, accepting
 *                                                         none), then purge
 *   incomplete ── expire ─────────▶ canceled (expired)   (at expires_at, by the job), then purge
 *   incomplete ── withdraw ───────▶ canceled (withdrawn) (its partner, before a decision), then purge
 *
 * `verified` and `canceled` are final. Purging deletes what a submission that was not accepted must
 * not keep: only ids, status and times remain. Withdrawing a canceled submission changes nothing
 * (it answers as it is); a verified one cannot be withdrawn: its partner revokes credentials instead.
 *
 * An item of a verified submission has its own one transition, by its partner:
 *
 *   accepted ── revoke ───────────▶ revoked (revoked_at, revoke_reason set once; kept, shown as revoked)
 */

/**
 * A submission's status as everyone sees it now: an incomplete submission past its expiry is
 * `canceled` (finalized when it expired) even before the expiry job has deleted its data.
 */
export function effectiveStatus(
  submission: SubmissionRow,
  now: Date,
): { status: SubmissionRow['status']; finalizedAt: Date | null } {
  if (submission.status === 'incomplete' && submission.expiresAt <= now)
    return { status: 'canceled', finalizedAt: submission.expiresAt }
  return { status: submission.status, finalizedAt: submission.finalizedAt }
}

/**
 * A credential's status as the status API reports it: its submission's while undecided
 * (`incomplete`, or `canceled` when it expired or was withdrawn), then the holder's per-item
 * decision, and `revoked` once its issuer revoked it. A credential the holder later removed from
 * their wallet stays `accepted`: what a holder does with their wallet is theirs.
 */
export function itemStatusOf(
  item: Pick<ItemRow, 'decision' | 'revokedAt'>,
  submissionStatus: SubmissionRow['status'],
): ItemStatus {
  if (item.revokedAt) return 'revoked'
  if (item.decision) return item.decision
  return submissionStatus === 'incomplete' ? 'incomplete' : 'canceled'
}

/** An asset's state as reported: still awaited when its submission is finished means it never came. */
export function reportedAssetState(asset: Pick<AssetRow, 'state'>, submissionFinished: boolean): AssetRow['state'] {
  const waiting = asset.state === 'awaiting_upload' || asset.state === 'awaiting_fetch'
  return submissionFinished && waiting ? 'missing' : asset.state
}

/** Where a submission stands for its holder right now. */
export type HolderView = 'open' | 'expired' | 'verified' | 'declined' | 'withdrawn'

/** An incomplete submission past its expiry is expired even before the expiry job has run. */
export function holderViewOf(submission: SubmissionRow, now: Date): HolderView {
  const { status } = effectiveStatus(submission, now)
  if (status === 'verified') return 'verified'
  if (status === 'canceled' && submission.cancelReason === 'declined') return 'declined'
  if (status === 'canceled' && submission.cancelReason === 'withdrawn') return 'withdrawn'
  if (status === 'canceled') return 'expired'
  return 'open'
}

/** Guard of every transition: the submission exists. */
export function assertFound(submission: SubmissionRow | undefined): asserts submission is SubmissionRow {
  if (!submission) throw new AppError('not_found', 'No such submission')
}

/** Guard of `bind` (once bound): the submission is bound to this holder, not to someone else. */
export function assertHeldBy(submission: SubmissionRow, holderId: string): void {
  if (submission.holderId !== holderId)
    throw new AppError('forbidden', 'The submission is bound to the holder who opened it first')
}

/**
 * Guard of `accept` and `decline`: the submission is still open (incomplete, before its expiry)
 * and bound to this holder. A submission is decided once.
 */
export function assertDecidable(submission: SubmissionRow, holderId: string, now: Date): void {
  assertHeldBy(submission, holderId)
  if (submission.status !== 'incomplete')
    throw new AppError('conflict', `The submission is already ${submission.status}`)
  if (submission.expiresAt <= now) throw new AppError('conflict', 'The submission has expired')
}

/**
 * Guard of `withdraw`: the submission is not decided yet. A `verified` one is a 409 (its
 * credentials are the holder's now: revoke them); a canceled one (by anyone) is left as it is.
 */
export function assertWithdrawable(submission: SubmissionRow): void {
  if (submission.status === 'verified')
    throw new AppError(
      'conflict',
      'The holder already accepted this submission: it can no longer be withdrawn. Revoke its credentials instead (POST /api/partner/v2/credentials/{credential_id}/revoke)',
    )
}

/** Guard of `revoke`: only a credential the holder accepted can be revoked. */
export function assertRevocable(item: Pick<ItemRow, 'decision'>, submissionStatus: SubmissionRow['status']): void {
  if (item.decision !== 'accepted')
    throw new AppError(
      'conflict',
      submissionStatus === 'incomplete'
        ? 'The holder has not accepted this credential yet: withdraw the submission instead (DELETE /api/partner/v2/add/requests/{id})'
        : 'Only a credential the holder accepted can be revoked; this one is not in their wallet',
    )
}

/** A credential's revocation by its issuer as pages show it (wallet, share pages); null when it stands. */
export interface Revocation {
  revokedAt: Date
  reason: string
}

/** The revocation of an item, if its issuer revoked it. */
export function revocationOf(item: Pick<ItemRow, 'revokedAt' | 'revokeReason'>): Revocation | null {
  return item.revokedAt ? { revokedAt: item.revokedAt, reason: item.revokeReason ?? '' } : null
}
