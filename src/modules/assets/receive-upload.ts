import { Type, type Static } from 'typebox'
import type { Readable } from 'node:stream'
import { AppError } from '../../errors.js'
import type { AssetType } from '../credential-types/index.js'
import { findAssetWithSubmission, type AssetRow, type SubmissionRow } from './assets.repo.js'
import { DocumentRejectedError } from './document-meter.js'
import { ingestDocument, type IngestDeps } from './ingest.js'
import { VerifierBusyError } from './opencerts-verifier.js'
import { CONTENT_TYPES, type UploadLinkSigner, type UploadQuery } from './upload-link.js'

/** An upload as the route hands it over: the link's parts, two headers and the raw body. */
export interface UploadRequest {
  assetId: string
  query: UploadQuery
  contentType: string | undefined
  contentLength: string | undefined
  body: Readable
}

/** The 201 answer to an upload. */
export const UploadReceiptSchema = Type.Object({
  asset_id: Type.String({ description: 'Your `asset_id` for this document.' }),
  state: Type.Enum(['received', 'verified', 'rejected'], {
    description:
      '`received`; for OpenCerts `verified`, or `rejected` when its integrity check failed (the upload itself succeeded).',
  }),
  bytes: Type.Integer({ description: 'Size of the stored document.' }),
  sha256: Type.String({ description: 'Hex SHA-256 of the stored document.' }),
  reason: Type.Optional(
    Type.String({ description: 'Why a received document is `rejected` (e.g. `not_wrapped`, `integrity_failed`).' }),
  ),
})
export type UploadReceipt = Static<typeof UploadReceiptSchema>

/** The signature and expiry of an upload link; throws 403 (the link is the only authorization). */
export function authorizeUploadLink(
  uploads: UploadLinkSigner,
  assetId: string,
  query: UploadRequest['query'],
): { maxBytes: number; type: AssetType } {
  const check = uploads.verify(assetId, query)
  if (!check.ok && check.reason === 'expired') {
    const expiredAt = new Date(Number(query.expires) * 1000).toISOString()
    throw new AppError(
      'forbidden',
      `This upload link expired at ${expiredAt}. Send the submission again (same id and body) to get fresh upload links.`,
    )
  }
  if (!check.ok)
    throw new AppError(
      'forbidden',
      'This upload link is not valid: use the url from asset_uploads exactly as it was returned.',
    )
  return { maxBytes: check.maxBytes, type: query.type as AssetType }
}

/** Why an asset cannot take an upload now (409), or null when it can. */
export function uploadConflict(asset: AssetRow, submission: SubmissionRow, now: Date): string | null {
  if (submission.status === 'verified')
    return 'The holder has already accepted this submission; its documents can no longer change.'
  if (submission.status === 'canceled' || submission.dataDeletedAt)
    return 'This submission was canceled (declined by the holder, or expired); it takes no more uploads.'
  if (submission.expiresAt.getTime() <= now.getTime())
    return `This submission expired at ${submission.expiresAt.toISOString()}; it takes no more uploads.`
  if (asset.source !== 'upload')
    return 'This asset is not uploaded through a link: its document comes from a URL or from the request.'
  if (asset.state === 'awaiting_upload') return null
  if (asset.state === 'missing') return 'This asset is no longer awaited.'
  return 'This asset was already uploaded; an upload link can be used once.'
}

/** `type/subtype` of a Content-Type header, lower-cased, parameters dropped. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase()
}

/**
 * Receives one asset's bytes through its signed upload link (spec §6): 403 bad or expired link,
 * 404 unknown asset, 409 not awaiting an upload, 415 wrong Content-Type or bytes, 413 too large,
 * 503 with Retry-After when too many OpenCerts documents wait for verification (nothing kept).
 */
export async function receiveUpload(
  deps: IngestDeps & { uploads: UploadLinkSigner },
  request: UploadRequest,
): Promise<UploadReceipt> {
  const link = authorizeUploadLink(deps.uploads, request.assetId, request.query)
  const found = await findAssetWithSubmission(deps.db, request.assetId)
  if (!found) {
    throw new AppError(
      'not_found',
      'This asset no longer exists: its submission expired or was replaced. Send the submission again to get new upload links.',
    )
  }
  const { asset, submission } = found
  if (asset.assetType !== link.type) throw new AppError('conflict', 'This upload link does not belong to this asset.')
  const conflict = uploadConflict(asset, submission, deps.clock.now())
  if (conflict) throw new AppError('conflict', conflict)

  const expected = CONTENT_TYPES[asset.assetType]
  const given = mediaType(request.contentType)
  if (given !== expected) {
    throw new AppError(
      'unsupported_media_type',
      `This asset was declared ${asset.assetType}: send its bytes with Content-Type: ${expected}${given ? ` (got ${given.slice(0, 100)})` : ''}.`,
    )
  }
  const length = request.contentLength === undefined ? undefined : Number(request.contentLength)
  if (length !== undefined && length > link.maxBytes) {
    throw new AppError(
      'body_too_large',
      `The document is ${length} bytes; the limit of this upload link is ${link.maxBytes} bytes.`,
    )
  }

  let result: Awaited<ReturnType<typeof ingestDocument>>
  try {
    result = await ingestDocument(deps, asset, request.body, {
      maxBytes: link.maxBytes,
      guard: { states: ['awaiting_upload'], source: 'upload' },
    })
  } catch (error) {
    if (error instanceof DocumentRejectedError) {
      throw new AppError(error.problem === 'too_large' ? 'body_too_large' : 'unsupported_media_type', error.message)
    }
    if (error instanceof VerifierBusyError) {
      // Nothing was kept: the same link takes the document again.
      const wait = error.retryAfterSeconds
      throw new AppError(
        'service_unavailable',
        `Too many OpenCerts documents are waiting to be verified; send this one again in ${wait} s with the same link.`,
        {},
        { 'retry-after': String(wait) },
      )
    }
    throw error
  }
  if (!result.stored) {
    // Another upload of this asset won the race, or the submission closed while the bytes came in.
    const now = await findAssetWithSubmission(deps.db, request.assetId)
    const detail = now ? uploadConflict(now.asset, now.submission, deps.clock.now()) : null
    throw new AppError('conflict', detail ?? 'This asset was already uploaded; an upload link can be used once.')
  }
  const stored = result.asset
  return {
    asset_id: stored.partnerAssetId,
    // A stored document is received, or verified / rejected by its OpenCerts check.
    state: stored.state as UploadReceipt['state'],
    bytes: stored.bytes!,
    sha256: stored.sha256!,
    ...(stored.state === 'rejected' && stored.rejectReason ? { reason: stored.rejectReason } : {}),
  }
}
