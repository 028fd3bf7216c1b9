import type { Db } from '../../../db/client.js'
import { listAcceptedOfHolder, listAssetsOf, listItemsOf } from '../../submissions/index.js'
import type { WalletEntry } from '../views/wallet-model.js'
import { credentialView } from './view-models.js'

/** Every credential the holder accepted, newest acceptance first, in the order each partner sent them. */
export async function loadWalletEntries(db: Db, holderId: string): Promise<WalletEntry[]> {
  const accepted = await listAcceptedOfHolder(db, holderId)
  const ids = accepted.map((a) => a.submission.id)
  if (ids.length === 0) return []
  const [items, itemAssets] = await Promise.all([listItemsOf(db, ids), listAssetsOf(db, ids)])
  return accepted.flatMap(({ submission, partnerName }) =>
    items
      .filter((item) => item.submissionId === submission.id)
      .map((item) => ({
        ...credentialView(item, itemAssets, true),
        id: item.id,
        partnerName,
        acceptedAt: submission.finalizedAt!,
      })),
  )
}

/**
 * One credential of the holder's wallet by its id; undefined for an unknown id, another holder's
 * credential, or one not accepted — the pages answer all three with the same 404.
 */
export async function findWalletEntry(db: Db, holderId: string, id: string): Promise<WalletEntry | undefined> {
  return (await loadWalletEntries(db, holderId)).find((entry) => entry.id === id)
}
