import { getCredentialType } from '../../credential-types/index.js'
import type { CredentialTypeName } from '../../credential-types/index.js'
import {
  reportedAssetState,
  type HolderAssetRow,
  type HolderItemRow,
  type HolderSubmissionRead,
} from '../../submissions/index.js'
import type { DocumentView, ReviewCredential, ReviewModel } from '../views/models.js'

const ARRIVED = new Set(['received', 'verified', 'rejected'])

function documentView(asset: HolderAssetRow, finished: boolean): DocumentView {
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

/** A credential as the pages show it, with Credport's id of it (the submission item's). */
export function credentialView(
  item: HolderItemRow,
  itemAssets: readonly HolderAssetRow[],
  finished: boolean,
): ReviewCredential {
  const def = getCredentialType(item.credentialType)
  const fields = item.fields ?? {}
  const issuer = def?.issuerField ? fields[def.issuerField] : undefined
  return {
    id: item.id,
    credentialType: item.credentialType as CredentialTypeName,
    displayTitle: item.displayTitle ?? def?.title ?? item.credentialType,
    issuerName: typeof issuer === 'string' ? issuer : null,
    fields,
    partnerChain: item.partnerChain ?? [],
    documents: itemAssets.filter((a) => a.itemId === item.id).map((a) => documentView(a, finished)),
  }
}

/**
 * Everything the review page shows for one submission (as read by `readHolderSubmission`), as of
 * `now`; once decided, its accepted credentials only (the declined ones are counted: their data is
 * deleted).
 */
export function reviewModelOf(read: HolderSubmissionRead, now: Date): ReviewModel {
  const { submission, items } = read
  const finished = submission.status !== 'incomplete'
  return {
    requestId: submission.id,
    partnerName: read.partnerName,
    credentials: items
      .filter((item) => item.decision !== 'declined')
      .map((item) => credentialView(item, read.assets, finished)),
    declined: items.filter((item) => item.decision === 'declined').length,
    expiresAt: submission.expiresAt,
    asOf: now,
  }
}
