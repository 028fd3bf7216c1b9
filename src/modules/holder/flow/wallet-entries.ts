import type { Db } from '../../../db/client.js'
import type { SubmissionRow } from '../../../db/schema.js'
import {
  findAcceptedItemOfHolder,
  type HolderAssetRow,
  type HolderItemRow,
  listAssetsOf,
  readHolderWallet,
  revocationOf,
  type HolderWalletRead,
} from '../../submissions/index.js'
import type { WalletEntry } from '../views/wallet-model.js'
import { credentialView } from './view-models.js'

/**
 * Every credential the holder accepted (not those declined beside them) and did not remove, newest
 * acceptance first, in the order each partner sent them: one statement (`readHolderWallet`).
 */
export async function loadWalletEntries(db: Db, holderId: string): Promise<WalletEntry[]> {
  return walletEntriesOf(await readHolderWallet(db, holderId))
}

/** The wallet's entries from its read (`readHolderWallet`, or as read with the session). */
export function walletEntriesOf(accepted: readonly HolderWalletRead[]): WalletEntry[] {
  return accepted.flatMap(({ submission, partnerName, items, assets }) =>
    items.map((item) => entryOf(item, assets, submission, partnerName)),
  )
}

/**
 * One credential of the holder's wallet by its id; undefined for an unknown id, another holder's
 * credential, or one not accepted — the pages answer all three with the same 404.
 */
export async function findWalletEntry(db: Db, holderId: string, id: string): Promise<WalletEntry | undefined> {
  const found = await findAcceptedItemOfHolder(db, holderId, id)
  if (!found) return undefined
  const { item, submission, partnerName } = found
  return entryOf(item, await listAssetsOf(db, [submission.id]), submission, partnerName)
}

/**
 * A wallet entry: an accepted item as the pages show it, with when and from whom it came. Added to
 * the view it is (not spread into a copy: a spread costed about a microsecond per credential).
 */
function entryOf(
  item: HolderItemRow,
  itemAssets: readonly HolderAssetRow[],
  submission: Pick<SubmissionRow, 'finalizedAt'>,
  partnerName: string,
): WalletEntry {
  return Object.assign(credentialView(item, itemAssets, true), {
    partnerName,
    acceptedAt: submission.finalizedAt!,
    revocation: revocationOf(item),
  })
}
