import type { Db } from '../../db/client.js'
import type { AssetRow, SubmissionRow } from '../../db/schema.js'
import { isUuid } from '../../lib/ids.js'
import { findAssetOfHolder } from './holder-reads.repo.js'
import { holderViewOf } from './submission-state.js'
import { findSubmission } from './submissions.repo.js'

/**
 * The submission a redirect link names: its request id (`content`), the client id and the
 * page path must all match (spec §10); anything else is as unknown as a made-up link.
 */
export async function findLinkedSubmission(
  deps: { db: Db },
  link: { requestId: string; clientId: string; path: string },
): Promise<SubmissionRow | null> {
  if (!isUuid(link.requestId)) return null
  const row = await findSubmission(deps.db, link.requestId)
  if (!row || row.clientId !== link.clientId || row.redirectPath !== link.path) return null
  return row
}

/**
 * A document the signed-in holder may see: it belongs to a submission bound to them that has not
 * expired (an expired one is treated so at once, before the expiry job deletes its documents).
 */
export async function findHolderDocument(
  db: Db,
  holderId: string,
  assetId: string,
  now: Date,
): Promise<AssetRow | null> {
  if (!isUuid(assetId)) return null
  const row = await findAssetOfHolder(db, holderId, assetId)
  if (!row || holderViewOf(row.submission, now) === 'expired') return null
  return row.asset
}
