import { and, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
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

/**
 * The submissions a holder accepted (one credential or more: `listAcceptedItemsOf` reads which),
 * with their partner's name, most recently accepted first.
 */
export async function listAcceptedOfHolder(
  db: Executor,
  holderId: string,
): Promise<Array<{ submission: SubmissionRow; partnerName: string }>> {
  return db
    .select({ submission: submissions, partnerName: partnerShownName })
    .from(submissions)
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(and(eq(submissions.holderId, holderId), eq(submissions.status, 'verified')))
    .orderBy(desc(submissions.finalizedAt))
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
