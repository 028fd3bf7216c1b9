import { and, eq, isNull, sql } from 'drizzle-orm'
import { submissions } from '../../../db/schema.js'
import type { Deps } from '../../../deps.js'
import { isUuid } from '../../../lib/ids.js'
import type { BlobStore } from '../../../storage/blob-store.js'
import { deleteBlobs, purgeSubmissionData } from '../../submissions/expire-submissions.js'
import { effectiveStatus } from '../../submissions/submission-state.js'
import { findSubmission } from '../../submissions/submissions.repo.js'

export type { SubmissionRow } from '../../../db/schema.js'
import type { SubmissionRow } from '../../../db/schema.js'

type FlowDeps = Pick<Deps, 'db' | 'clock'>

/** Where a submission stands for its holder right now. */
export type HolderView = 'open' | 'expired' | 'verified' | 'declined'

/** An incomplete submission past its expiry is expired even before the expiry job has run. */
export function holderViewOf(submission: SubmissionRow, now: Date): HolderView {
  const { status } = effectiveStatus(submission, now)
  if (status === 'verified') return 'verified'
  if (status === 'canceled') return submission.cancelReason === 'declined' ? 'declined' : 'expired'
  return 'open'
}

/**
 * The submission a redirect link names: its request id (`content`), the client id and the
 * page path must all match (spec §10); anything else is as unknown as a made-up link.
 */
export async function findLinkedSubmission(
  deps: FlowDeps,
  link: { requestId: string; clientId: string; path: string },
): Promise<SubmissionRow | null> {
  if (!isUuid(link.requestId)) return null
  const row = await findSubmission(deps.db, link.requestId)
  if (!row || row.clientId !== link.clientId || row.redirectPath !== link.path) return null
  return row
}

/**
 * Binds a submission to the first signed-in holder who opens it, recording when it was first
 * opened (spec §10). Returns the submission when this holder may see it (it is now theirs),
 * otherwise null.
 */
export async function bindHolderRow(
  deps: FlowDeps,
  submissionId: string,
  holderId: string,
): Promise<SubmissionRow | null> {
  const now = deps.clock.now()
  const [bound] = await deps.db
    .update(submissions)
    .set({ holderId, openedAt: sql`coalesce(${submissions.openedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(submissions.id, submissionId), isNull(submissions.holderId)))
    .returning()
  if (bound) return bound
  // Already bound: to this holder (perhaps meanwhile, from another tab) or to someone else.
  const row = await findSubmission(deps.db, submissionId)
  return row?.holderId === holderId ? row : null
}

/** Whether this holder may see the submission, binding it to them if nobody has it yet (see `bindHolderRow`). */
export async function bindHolder(deps: FlowDeps, submissionId: string, holderId: string): Promise<boolean> {
  return (await bindHolderRow(deps, submissionId, holderId)) !== null
}

/**
 * Records the holder's decision on their whole submission: accept → `verified` (the credentials
 * join their wallet), decline → `canceled`, and then nothing of the declined credentials or their
 * documents is kept (as on expiry). Only an open submission bound to this holder can be decided,
 * once; returns the submission as it stands afterwards, or null when nothing changed.
 */
export async function recordConsent(
  deps: FlowDeps & { blobs: BlobStore },
  input: { submissionId: string; holderId: string; decision: 'accept' | 'decline' },
): Promise<SubmissionRow | null> {
  const { row, blobKeys } = await deps.db.transaction(async (tx) => {
    // The deadline is judged once the row is ours: an answer that waited on a lock past it is too late.
    await tx
      .select({ id: submissions.id })
      .from(submissions)
      .where(eq(submissions.id, input.submissionId))
      .for('update')
    const now = deps.clock.now()
    const [decided] = await tx
      .update(submissions)
      .set(
        input.decision === 'accept'
          ? { status: 'verified', finalizedAt: now }
          : { status: 'canceled', cancelReason: 'declined', finalizedAt: now },
      )
      .where(
        and(
          eq(submissions.id, input.submissionId),
          eq(submissions.holderId, input.holderId),
          eq(submissions.status, 'incomplete'),
          sql`${submissions.expiresAt} > ${now.toISOString()}::timestamptz`,
        ),
      )
      .returning()
    const keys = decided && input.decision === 'decline' ? await purgeSubmissionData(tx, [decided.id], now) : []
    return { row: decided ?? null, blobKeys: keys }
  })
  await deleteBlobs(deps.blobs, blobKeys)
  return row
}
