import { and, eq, inArray } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { submissionItems, submissions, type ItemRow, type SubmissionRow } from '../../db/schema.js'
import { currentByItemIdsQuery } from './submissions.repo.js'

/**
 * The current submissions of a partner answering for any of `refs` (its own ids: v1 `id`, v2
 * `credential_id` of a single add or a batch). Another partner's submissions are never read.
 */
export async function findCurrentByRefs(db: Executor, partnerId: string, refs: string[]): Promise<SubmissionRow[]> {
  return db
    .select()
    .from(submissions)
    .where(
      and(eq(submissions.partnerId, partnerId), eq(submissions.isCurrent, true), inArray(submissions.partnerRef, refs)),
    )
}

/**
 * The credential a partner's id names, as the status API resolves it: in the newest current
 * submission of that partner holding an item with that id. Undefined when none does.
 */
export async function findCurrentItem(
  db: Executor,
  partnerId: string,
  credentialId: string,
): Promise<{ submission: SubmissionRow; item: ItemRow } | undefined> {
  const [found] = await currentByItemIdsQuery(db, partnerId, [credentialId])
  if (!found) return undefined
  const [item] = await db
    .select()
    .from(submissionItems)
    .where(and(eq(submissionItems.submissionId, found.submission.id), eq(submissionItems.partnerItemId, credentialId)))
  return item ? { submission: found.submission, item } : undefined
}
