import { randomBytes } from 'node:crypto'
import { Readable, type Writable } from 'node:stream'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { BlobTooLargeError, type BlobStore, type PutResult } from '../../storage/blob-store.js'
import { deleteScheduledBlobs, discardBlobs, scheduleBlobDeletions } from '../../storage/blob-deletions.js'
import type { AssetType } from '../credential-types/index.js'
import {
  findAssetWithSubmission,
  markAssetRejected,
  markAssetStored,
  type AssetGuard,
  type AssetRow,
} from './assets.repo.js'
import { DocumentMeter, DocumentRejectedError } from './document-meter.js'
import type { OpenCertVerifier } from './opencerts-verifier.js'

/** What ingesting a document needs from the application's dependencies. */
export interface IngestDeps {
  db: Db
  blobs: BlobStore
  clock: Clock
  openCerts: Pick<OpenCertVerifier, 'inspect'>
}

/** The asset a document is for. */
export interface IngestTarget {
  id: string
  submissionId: string
  assetType: AssetType
}

export type IngestResult =
  /** The asset row as stored: `received`, or for OpenCerts `verified` / `rejected` with its verification. */
  | { stored: true; asset: AssetRow }
  /** Someone else stored this asset first, or its submission closed meanwhile; nothing was kept. */
  | { stored: false }

/** The source ended before its end: the client went away mid-upload, or the server mid-download. */
export class SourceAbortedError extends Error {
  constructor() {
    super('the document stream ended before it was complete')
    this.name = 'SourceAbortedError'
  }
}

/**
 * Blob key of one stored document. Each attempt writes its own key (the suffix), so two concurrent
 * uploads of one asset never overwrite each other's bytes: the one whose UPDATE loses deletes its own.
 */
export function blobKeyFor(asset: Pick<IngestTarget, 'id' | 'submissionId'>): string {
  return `submissions/${asset.submissionId}/${asset.id}-${randomBytes(6).toString('hex')}`
}

/**
 * Pipes `source` into `destination` without ever destroying the source (an HTTP request must stay
 * usable to answer 413/415), and fails the destination when the source errors or closes early.
 */
function feed(source: Readable, destination: Writable): void {
  source.on('error', (error) => destination.destroy(error))
  source.once('close', () => {
    if (!source.readableEnded) destination.destroy(new SourceAbortedError())
  })
  source.pipe(destination)
}

/**
 * Streams a document into the blob store (size limit, type sniffing, SHA-256), verifies it when it
 * is an OpenCerts document, and records it on the asset in one guarded UPDATE. Throws
 * DocumentRejectedError (too large / not the declared type: nothing is kept), SourceAbortedError,
 * and VerifierBusyError (nothing kept) unless `verifyEvenWhenBusy`.
 */
export async function ingestDocument(
  deps: IngestDeps,
  asset: IngestTarget,
  body: Readable,
  options: { maxBytes: number; guard: AssetGuard; verifyEvenWhenBusy?: boolean },
): Promise<IngestResult> {
  const meter = new DocumentMeter(asset.assetType, options.maxBytes, (bytes) =>
    deps.openCerts.inspect(bytes, { evenWhenBusy: options.verifyEvenWhenBusy }),
  )
  // Its errors are taken from `meter.errored` and the store's rejection; never unhandled meanwhile.
  meter.on('error', () => {})
  feed(body, meter)
  const key = blobKeyFor(asset)
  let put: PutResult
  try {
    // A document of the wrong type is refused before the blob store is touched at all.
    await meter.whenChecked()
    put = await deps.blobs.put(key, meter, { maxBytes: options.maxBytes })
  } catch (error) {
    // The meter's own verdict wins over how the store reports the stream's end.
    const cause = meter.errored instanceof DocumentRejectedError ? meter.errored : error
    if (cause instanceof BlobTooLargeError)
      throw new DocumentRejectedError('too_large', `The document is larger than the limit of ${options.maxBytes} bytes`)
    throw cause
  }

  let row: AssetRow | null
  try {
    const verification = meter.verification ?? null
    const now = deps.clock.now()
    row = await deps.db.transaction(async (tx) => {
      const stored = await markAssetStored(tx, asset.id, options.guard, {
        ...meter.outcome,
        blobKey: key,
        bytes: put.bytes,
        sha256: put.sha256,
        verification: verification as Record<string, unknown> | null,
        receivedAt: now,
      })
      // Lost the race (or the submission closed): this blob is nobody's, deleted after the commit.
      if (!stored) await scheduleBlobDeletions(tx, [key], now)
      return stored
    })
  } catch (error) {
    await discardBlobs(deps, [key])
    throw error
  }
  if (!row) {
    await deleteScheduledBlobs(deps, [key])
    return { stored: false }
  }
  return { stored: true, asset: row }
}

/** Outcome of an inline document: stored (its state says how it verified), rejected, or not applicable any more. */
export type InlineOutcome =
  | { status: 'stored'; asset: AssetRow }
  | { status: 'rejected'; reason: string }
  | { status: 'skipped' }

/**
 * Stores a document that came inside the request (v1 OpenCerts JSON text, v2 `data:` URL), for an
 * asset inserted with source `inline` and state `awaiting_upload`. Call it after the submission is
 * committed. Too large or not the declared type → the asset is `rejected` (`too_large`, `type_mismatch`).
 * An OpenCerts document waits for a busy verifier rather than be refused: its submission is
 * already committed, and the bytes, already in memory, exist nowhere else (acceptSubmission
 * refuses such requests beforehand while the verifier has no room).
 */
export async function storeInlineDocument(
  deps: IngestDeps & { config: { uploadMaxBytes: number } },
  assetId: string,
  bytes: Buffer,
): Promise<InlineOutcome> {
  const found = await findAssetWithSubmission(deps.db, assetId)
  if (!found) return { status: 'skipped' }
  const guard: AssetGuard = { states: ['awaiting_upload'], source: 'inline' }
  try {
    const result = await ingestDocument(deps, found.asset, Readable.from([bytes]), {
      maxBytes: deps.config.uploadMaxBytes,
      guard,
      verifyEvenWhenBusy: true,
    })
    return result.stored ? { status: 'stored', asset: result.asset } : { status: 'skipped' }
  } catch (error) {
    if (!(error instanceof DocumentRejectedError)) throw error
    const row = await deps.db.transaction((tx) =>
      markAssetRejected(tx, assetId, guard, error.problem, deps.clock.now()),
    )
    return row ? { status: 'rejected', reason: error.problem } : { status: 'skipped' }
  }
}
