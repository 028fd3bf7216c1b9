import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Db } from '../../../db/client.js'
import { submissions } from '../../../db/schema.js'
import type { Clock } from '../../../lib/clock.js'
import { isUuid } from '../../../lib/ids.js'
import type { BlobStore } from '../../../storage/blob-store.js'
import { deleteBlobs, purgeSubmissionData } from '../../submissions/expire-submissions.js'
import { effectiveStatus } from '../../submissions/submission-state.js'


export type { SubmissionRow } from '../../../db/schema.js'
import type { SubmissionRow } from '../../../db/schema.js'

interface FlowDeps {
  db: Db
  clock: Clock
}

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
  const [row] = await deps.db.select().from(submissions).where(eq(submissions.id, link.requestId))
  if (!row || row.clientId !== link.clientId || row.redirectPath !== link.path) return null
  return row
}

export async function findSubmissionById(deps: FlowDeps, id: string): Promise<SubmissionRow | null> {
  const [row] = await deps.db.select().from(submissions).where(eq(submissions.id, id))
  return row ?? null
}

/**
 * Binds a submission to the first signed-in holder who opens it, recording when it was first
 * opened (spec §10). Returns whether this holder may see it: true when it is (now) theirs.
 */
export async function bindHolder(deps: FlowDeps, submissionId: string, holderId: string): Promise<boolean> {
  const now = deps.clock.now()
  await deps.db
    .update(submissions)
    .set({ holderId, openedAt: sql`coalesce(${submissions.openedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(submissions.id, submissionId), isNull(submissions.holderId)))
  const row = await findSubmissionById(deps, submissionId)
  return row?.holderId === holderId
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
  const now = deps.clock.now()
  const { row, blobKeys } = await deps.db.transaction(async (tx) => {
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
