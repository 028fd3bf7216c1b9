import { asc, eq, inArray, or } from 'drizzle-orm'
import type { Executor } from '../../../db/client.js'
import {
  holderSessions,
  holders,
  shareLinkItems,
  shareLinks,
  signInCodes,
  type ShareLinkRow,
} from '../../../db/schema.js'

/** A holder's account as their export shows it. */
export async function findHolderAccount(db: Executor, holderId: string) {
  const [row] = await db.select().from(holders).where(eq(holders.id, holderId))
  return row
}

/** A holder's share links, oldest first, each with the ids of its credentials in the holder's order. */
export async function listShareLinksOfHolder(
  db: Executor,
  holderId: string,
): Promise<Array<ShareLinkRow & { itemIds: string[] }>> {
  const links = await db
    .select()
    .from(shareLinks)
    .where(eq(shareLinks.holderId, holderId))
    .orderBy(asc(shareLinks.createdAt), asc(shareLinks.id))
  if (links.length === 0) return []
  const items = await db
    .select()
    .from(shareLinkItems)
    .where(
      inArray(
        shareLinkItems.shareLinkId,
        links.map((link) => link.id),
      ),
    )
    .orderBy(asc(shareLinkItems.position))
  return links.map((link) => ({
    ...link,
    itemIds: items.filter((item) => item.shareLinkId === link.id).map((item) => item.itemId),
  }))
}

/**
 * Deletes what the holder module keeps of a holder, inside the account deletion's transaction:
 * every session of theirs — signed in now (`holder_id`), or ended (signing out unbinds the
 * session, but its sign-in codes still name the address) — with their codes, the codes sent to
 * the address from any other session, then the holder row (its share links go with it, cascade).
 */
export async function deleteHolderRecords(db: Executor, holder: { id: string; email: string }): Promise<void> {
  const byEmail = db.select({ id: signInCodes.sessionId }).from(signInCodes).where(eq(signInCodes.email, holder.email))
  await db.delete(holderSessions).where(or(eq(holderSessions.holderId, holder.id), inArray(holderSessions.id, byEmail)))
  await db.delete(signInCodes).where(eq(signInCodes.email, holder.email))
  await db.delete(holders).where(eq(holders.id, holder.id))
}
