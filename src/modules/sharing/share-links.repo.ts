import { and, asc, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import {
  assets,
  partners,
  shareLinkItems,
  shareLinks,
  submissionItems,
  submissions,
  type AssetRow,
  type ItemRow,
  type ShareLinkRow,
  type SubmissionRow,
  partnerShownName,
} from '../../db/schema.js'

/**
 * The ids among `itemIds` that the holder may share: credentials of their accepted submissions
 * that they accepted (or that predate per-item decisions), not removed and not revoked.
 */
export async function shareableItemIds(db: Executor, holderId: string, itemIds: string[]): Promise<Set<string>> {
  if (itemIds.length === 0) return new Set()
  const rows = await db
    .select({ id: submissionItems.id })
    .from(submissionItems)
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .where(
      and(
        inArray(submissionItems.id, itemIds),
        eq(submissions.holderId, holderId),
        eq(submissions.status, 'verified'),
        or(isNull(submissionItems.decision), eq(submissionItems.decision, 'accepted')),
        isNull(submissionItems.removedAt),
        isNull(submissionItems.revokedAt),
      ),
    )
  return new Set(rows.map((row) => row.id))
}

/** Stores a link with its credentials; false (nothing stored) when a link has its token already. */
export async function insertShareLink(
  db: Executor,
  link: typeof shareLinks.$inferInsert,
  itemIds: readonly string[],
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(shareLinks)
      .values(link)
      .onConflictDoNothing({ target: shareLinks.tokenHash })
      .returning({ id: shareLinks.id })
    if (inserted.length === 0) return false
    await tx
      .insert(shareLinkItems)
      .values(itemIds.map((itemId, position) => ({ shareLinkId: link.id, itemId, position })))
    return true
  })
}

/** The credential ids a link shows, in its order. */
export async function itemIdsOfShareLink(db: Executor, linkId: string): Promise<string[]> {
  const rows = await db
    .select({ itemId: shareLinkItems.itemId })
    .from(shareLinkItems)
    .where(eq(shareLinkItems.shareLinkId, linkId))
    .orderBy(asc(shareLinkItems.position))
  return rows.map((row) => row.itemId)
}

/** A holder's links, newest first, with how many credentials each shows. */
export async function listShareLinksOf(
  db: Executor,
  holderId: string,
): Promise<Array<{ link: ShareLinkRow; itemCount: number }>> {
  return db
    .select({ link: shareLinks, itemCount: count(shareLinkItems.itemId) })
    .from(shareLinks)
    .leftJoin(shareLinkItems, eq(shareLinkItems.shareLinkId, shareLinks.id))
    .where(eq(shareLinks.holderId, holderId))
    .groupBy(shareLinks.id)
    .orderBy(desc(shareLinks.createdAt), desc(shareLinks.id))
}

export async function findShareLinkOfHolder(
  db: Executor,
  holderId: string,
  linkId: string,
): Promise<ShareLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.holderId, holderId)))
  return row
}

/** Marks a holder's link revoked (once: the first revocation's time stays). True when it is now revoked. */
export async function markRevoked(db: Executor, holderId: string, linkId: string, now: Date): Promise<boolean> {
  await db
    .update(shareLinks)
    .set({ revokedAt: now })
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.holderId, holderId), isNull(shareLinks.revokedAt)))
  const row = await findShareLinkOfHolder(db, holderId, linkId)
  return row?.revokedAt != null
}

export async function findShareLinkByHash(db: Executor, tokenHash: string): Promise<ShareLinkRow | undefined> {
  const [row] = await db.select().from(shareLinks).where(eq(shareLinks.tokenHash, tokenHash))
  return row
}

/** Counts one opening of a link. */
export async function recordOpen(db: Executor, linkId: string, now: Date): Promise<void> {
  await db
    .update(shareLinks)
    .set({ openCount: sql`${shareLinks.openCount} + 1`, lastOpenedAt: now })
    .where(eq(shareLinks.id, linkId))
}

/** A link's credentials in the holder's order, each with its submission and partner's name. */
export async function listSharedItems(
  db: Executor,
  linkId: string,
): Promise<Array<{ item: ItemRow; submission: SubmissionRow; partnerName: string }>> {
  return db
    .select({ item: submissionItems, submission: submissions, partnerName: partnerShownName })
    .from(shareLinkItems)
    .innerJoin(submissionItems, eq(submissionItems.id, shareLinkItems.itemId))
    .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
    .innerJoin(partners, eq(partners.id, submissions.partnerId))
    .where(eq(shareLinkItems.shareLinkId, linkId))
    .orderBy(asc(shareLinkItems.position))
}

export async function listAssetsOfItems(db: Executor, itemIds: string[]): Promise<AssetRow[]> {
  if (itemIds.length === 0) return []
  return db.select().from(assets).where(inArray(assets.itemId, itemIds)).orderBy(asc(assets.partnerAssetId))
}
