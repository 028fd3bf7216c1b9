import type { UploadLink, UploadLinkSigner } from '../assets/upload-link.js'
import type { AssetType } from '../credential-types/types.js'
import type { AssetRow, SubmissionRow } from './submissions.repo.js'

/**
 * The holder link (spec §10): `{PUBLIC_URL}/partner/add/{path}#clientId=…&content={request id}`,
 * plus `&documentType=…` on v1 single adds. Everything after `#` stays in the browser.
 */
export function redirectUri(publicUrl: string, submission: SubmissionRow): string {
  const fragment = new URLSearchParams({ clientId: submission.clientId, content: submission.id })
  if (submission.envelope === 'v1' && submission.documentType) fragment.set('documentType', submission.documentType)
  return `${publicUrl}/partner/add/${submission.redirectPath}#${fragment}`
}

/** Fresh upload links for every asset still awaiting its bytes. */
export function uploadLinks(signer: UploadLinkSigner, assets: Array<Pick<AssetRow, 'id' | 'partnerAssetId' | 'assetType'>>): UploadLink[] {
  return assets.map((a) => signer.issue({ id: a.id, partnerAssetId: a.partnerAssetId, assetType: a.assetType as AssetType }))
}
