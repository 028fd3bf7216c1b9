import { and, desc, eq } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { assets, partners, submissions, type AssetRow, type SubmissionRow } from '../../db/schema.js'

/** The name of the partner behind a submission, as holders see it ('' if unknown). */
export async function findPartnerName(db: Executor, partnerId: string): Promise<string> {
  const [row] = await db.select({ name: partners.name }).from(partners).where(eq(partners.id, partnerId))
  return row?.name ?? ''
}

/** The submissions a holder accepted, with their partner's name, most recently accepted first. */
export async function listAcceptedOfHolder(
  db: Executor,
  holderId: string,
): Promise<Array<{ submission: SubmissionRow; partnerName: string }>> {
  return db
    .select({ submission: submissions, partnerName: partners.name })
    .from(submissions)
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(and(eq(submissions.holderId, holderId), eq(submissions.status, 'verified')))
    .orderBy(desc(submissions.finalizedAt))
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
