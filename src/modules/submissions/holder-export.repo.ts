import { asc, eq } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { partnerShownName, partners, submissions, type SubmissionRow } from '../../db/schema.js'

/**
 * Every submission bound to a holder, whatever its status, with its partner's name as holders see
 * it, oldest first: what the holder's data export reads (with `listItemsOf` and `listAssetsOf`).
 */
export async function listSubmissionsOfHolder(
  db: Executor,
  holderId: string,
): Promise<Array<{ submission: SubmissionRow; partnerName: string }>> {
  return db
    .select({ submission: submissions, partnerName: partnerShownName })
    .from(submissions)
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(eq(submissions.holderId, holderId))
    .orderBy(asc(submissions.createdAt), asc(submissions.id))
}
