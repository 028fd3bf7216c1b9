import type { Deps } from '../../../deps.js'
import { findIssuerProfile } from '../../admin/index.js'
import { findSubmission, holderViewOf, listItemsOf } from '../../submissions/index.js'
import type { IssuerContext } from '../views/issuer.js'

/**
 * Who is asking, for the sign-in pages: the partner behind the submission this browser opened
 * (its session's pending submission) and how many credentials it sends, while that submission is
 * still open for a decision; null otherwise (no link opened, expired, decided).
 */
export async function issuerContextOf(
  deps: Pick<Deps, 'db' | 'clock'>,
  pendingSubmissionId: string | null | undefined,
): Promise<IssuerContext | null> {
  if (!pendingSubmissionId) return null
  const submission = await findSubmission(deps.db, pendingSubmissionId)
  if (!submission || holderViewOf(submission, deps.clock.now()) !== 'open') return null
  const [profile, items] = await Promise.all([
    findIssuerProfile(deps.db, submission.partnerId),
    listItemsOf(deps.db, [submission.id]),
  ])
  if (!profile) return null
  return { ...profile, count: items.length }
}
