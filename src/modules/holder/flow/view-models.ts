import type { Db } from '../../../db/client.js'
import { credentialTypes, getCredentialType } from '../../credential-types/index.js'
import type { CredentialTypeName } from '../../credential-types/index.js'
import {
  findPartnerName,
  listAcceptedOfHolder,
  listAssetsOf,
  listItemsOf,
  reportedAssetState,
  type AssetRow,
  type ItemRow,
  type SubmissionRow,
} from '../../submissions/index.js'
import type { CredentialView, DocumentView, ReviewModel, WalletModel } from '../views/models.js'

const ARRIVED = new Set(['received', 'verified', 'rejected'])

function documentView(asset: AssetRow, finished: boolean): DocumentView {
  const viewable = ARRIVED.has(asset.state) && asset.blobKey !== null
  return {
    assetId: asset.id,
    assetType: asset.assetType,
    state: reportedAssetState(asset, finished),
    rejectReason: asset.rejectReason,
    verification: asset.verification ?? null,
    bytes: asset.bytes,
    viewUrl: viewable ? `/holder/documents/${asset.id}` : null,
    downloadUrl: viewable ? `/holder/documents/${asset.id}?download=1` : null,
  }
}

export function credentialView(item: ItemRow, itemAssets: AssetRow[], finished: boolean): CredentialView {
  const def = getCredentialType(item.credentialType)
  const fields = item.fields ?? {}
  const issuer = def?.issuerField ? fields[def.issuerField] : undefined
  return {
    credentialType: item.credentialType as CredentialTypeName,
    displayTitle: item.displayTitle ?? def?.title ?? item.credentialType,
    issuerName: typeof issuer === 'string' ? issuer : null,
    fields,
    partnerChain: item.partnerChain ?? [],
    documents: itemAssets.filter((a) => a.itemId === item.id).map((a) => documentView(a, finished)),
  }
}

/** Everything the review page shows for one submission, as of `now`. */
export async function loadReviewModel(db: Db, submission: SubmissionRow, now: Date): Promise<ReviewModel> {
  const [items, itemAssets, name] = await Promise.all([
    listItemsOf(db, [submission.id]),
    listAssetsOf(db, [submission.id]),
    findPartnerName(db, submission.partnerId),
  ])
  const finished = submission.status !== 'incomplete'
  return {
    requestId: submission.id,
    partnerName: name,
    credentials: items.map((item) => credentialView(item, itemAssets, finished)),
    expiresAt: submission.expiresAt,
    asOf: now,
  }
}

/** The holder's accepted credentials, grouped by type in registry order, newest first. */
export async function loadWalletModel(db: Db, holderId: string): Promise<WalletModel> {
  const accepted = await listAcceptedOfHolder(db, holderId)
  const ids = accepted.map((a) => a.submission.id)
  if (ids.length === 0) return { groups: [] }
  const [items, itemAssets] = await Promise.all([listItemsOf(db, ids), listAssetsOf(db, ids)])
  const credentials = accepted.flatMap(({ submission, partnerName: name }) =>
    items
      .filter((item) => item.submissionId === submission.id)
      .map((item) => ({
        ...credentialView(item, itemAssets, true),
        partnerName: name,
        acceptedAt: submission.finalizedAt!,
      })),
  )
  return {
    groups: credentialTypes
      .map((def) => ({
        credentialType: def.name,
        credentials: credentials.filter((c) => c.credentialType === def.name),
      }))
      .filter((group) => group.credentials.length > 0),
  }
}
