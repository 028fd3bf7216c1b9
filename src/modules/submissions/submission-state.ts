import type { AssetRow, SubmissionRow } from '../../db/schema.js'

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

/** An asset's state as reported: still awaited when its submission is finished means it never came. */
export function reportedAssetState(asset: AssetRow, submissionFinished: boolean): AssetRow['state'] {
  const waiting = asset.state === 'awaiting_upload' || asset.state === 'awaiting_fetch'
  return submissionFinished && waiting ? 'missing' : asset.state
}
