import type { Deps } from '../../../deps.js'
import { deleteErasedBlobs, eraseHolderFromSubmissions } from '../../submissions/index.js'
import { deleteHolderRecords, findHolderAccount } from './account.repo.js'

/**
 * deleteAccount: in one transaction, every submission bound to the holder is finished (undecided
 * ones declined, so their partners hear) and purged down to ids, status and times, and unbound;
 * then their sessions, sign-in codes (by address too), share links and the holder row are deleted.
 * Documents leave the blob store after the commit. Returns false when there was no such holder.
 */
export async function deleteHolderAccount(deps: Deps, holderId: string): Promise<boolean> {
  const erased = await deps.db.transaction(async (tx) => {
    const holder = await findHolderAccount(tx, holderId)
    if (!holder) return null
    const blobKeys = await eraseHolderFromSubmissions(tx, holder.id, deps.clock.now())
    await deleteHolderRecords(tx, holder)
    return blobKeys
  })
  if (!erased) return false
  await deleteErasedBlobs(deps, erased)
  return true
}
