import type { UploadLink, UploadLinkSigner } from '../assets/upload-link.js'
import type { AwaitedAsset, SubmissionRow } from './submissions.repo.js'

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
export function uploadLinks(signer: UploadLinkSigner, assets: AwaitedAsset[]): UploadLink[] {
  return assets.map((a) => signer.issue(a))
}
