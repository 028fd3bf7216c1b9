import type { UploadLink, UploadLinkSigner } from '../assets/index.js'
import type { AwaitedAsset, SubmissionRow } from './submissions.repo.js'

/**
 * The holder link (spec §10), its fragment parameters in the documented order:
 * `{PUBLIC_URL}/partner/add/{path}#clientId=…&documentType=…&content={request id}` on v1 single adds
 * (the public example: `…/partner/add/education#clientId=…&documentType=open_cert&content=…`), and
 * `#clientId=…&content=…` on batches and v2 adds. Everything after `#` stays in the browser.
 */
export function redirectUri(publicUrl: string, submission: SubmissionRow): string {
  const fragment = new URLSearchParams({ clientId: submission.clientId })
  if (submission.envelope === 'v1' && submission.documentType) fragment.append('documentType', submission.documentType)
  fragment.append('content', submission.id)
  return `${publicUrl}/partner/add/${submission.redirectPath}#${fragment}`
}

/** Fresh upload links for every asset still awaiting its bytes. */
export async function uploadLinks(signer: UploadLinkSigner, assets: AwaitedAsset[]): Promise<UploadLink[]> {
  return Promise.all(assets.map((a) => signer.issue(a)))
}
