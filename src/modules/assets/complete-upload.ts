import { createHash } from 'node:crypto'
import { Writable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { pipeline } from 'node:stream/promises'
import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import type { DirectUploadStore } from '../../storage/blob-store.js'
import { deleteScheduledBlobs, discardBlobs, scheduleBlobDeletions } from '../../storage/blob-deletions.js'
import {
  claimArrivedUpload,
  listAwaitedUploads,
  markAssetRejected,
  markAssetStored,
  releaseArrivedUpload,
  stillAwaitedUploads,
  type AssetGuard,
  type AssetRow,
} from './assets.repo.js'
import { checkDocumentHead, DocumentMeter, DocumentRejectedError } from './document-meter.js'
import { blobKeyFor } from './ingest.js'
import type { OpenCertVerifier } from './opencerts-verifier.js'
import { VerifierBusyError } from './opencerts-verifier.js'
import { awaitedUploadKey } from './upload-link.js'

export interface CompleteUploadDeps {
  db: Db
  clock: Clock
  blobs: DirectUploadStore
  openCerts: Pick<OpenCertVerifier, 'inspect'>
  config: { uploadMaxBytes: number }
}

/** What a look at one awaited asset found. */
export type CompletionOutcome = 'waiting' | 'received' | 'verified' | 'rejected' | 'busy' | 'lost'

/** The first bytes a type check reads (a range GET, not the whole object). */
const SNIFF_BYTES = 4100
const GUARD: AssetGuard = { states: ['awaiting_upload'], source: 'upload' }
/** How long one pass holds an arrived upload it copies and reads (other passes leave it alone). */
const ARRIVAL_CLAIM_MS = 2 * 60_000

/**
 * Looks at one asset's awaited key in the bucket and, when an object arrived, checks it as an
 * upload through Credport is checked: its size from a HEAD (oversize: deleted, `too_large`), its
 * first bytes by a range GET against the declared type (`type_mismatch`, deleted), then copies it
 * (only while it is still the object that was checked) to the asset's own immutable key, reads
 * the copy for its SHA-256 (and OpenCerts verification), and records it with a guarded UPDATE. A
 * later PUT to the awaited key cannot change what was recorded: it reads the copy.
 */
export async function completeUpload(deps: CompleteUploadDeps, asset: AssetRow): Promise<CompletionOutcome> {
  const awaited = awaitedUploadKey(asset.id)
  const head = await deps.blobs.head(awaited)
  if (!head) return 'waiting'
  const maxBytes = deps.config.uploadMaxBytes
  if (head.bytes > maxBytes) return reject(deps, asset, awaited, 'too_large')
  const first = await deps.blobs.getRange(awaited, {
    start: 0,
    end: Math.max(0, Math.min(head.bytes, SNIFF_BYTES) - 1),
  })
  // Gone since the HEAD: recorded meanwhile by another pass (which deletes it), or replaced.
  if (!first && head.bytes > 0) return 'waiting'
  const sniffed = first && head.bytes > 0 ? await buffer(first) : Buffer.alloc(0)
  if (await checkDocumentHead(asset.assetType, sniffed)) return reject(deps, asset, awaited, 'type_mismatch')

  // One pass copies and reads an arrival (the job of every instance and the status API look too).
  const now = deps.clock.now()
  const claimedUntil = new Date(now.getTime() + ARRIVAL_CLAIM_MS)
  if (!(await claimArrivedUpload(deps.db, asset.id, now, claimedUntil))) return 'waiting'
  let outcome: CompletionOutcome = 'waiting'
  try {
    outcome = await copyAndRecord(deps, asset, awaited, head.etag)
    return outcome
  } finally {
    if (outcome === 'waiting' || outcome === 'busy')
      await releaseArrivedUpload(deps.db, asset.id, claimedUntil).catch(() => {})
  }
}

/**
 * The claimed part of the completion: copies the checked object to the asset's immutable key,
 * reads the copy for its SHA-256 (and OpenCerts verification), and records the asset.
 */
async function copyAndRecord(
  deps: CompleteUploadDeps,
  asset: AssetRow,
  awaited: string,
  etag: string,
): Promise<CompletionOutcome> {
  const maxBytes = deps.config.uploadMaxBytes
  const key = blobKeyFor(asset)
  try {
    await deps.blobs.copy(awaited, key, etag)
  } catch (error) {
    // Replaced since the HEAD (412), or gone (404: another pass recorded it): the next pass looks again.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 412 || status === 404) return 'waiting'
    throw error
  }
  let recorded: { row: AssetRow | null; orphans: string[] }
  try {
    const copy = await deps.blobs.get(key)
    if (!copy) return 'waiting'
    const meter = new DocumentMeter(asset.assetType, maxBytes, (bytes) => deps.openCerts.inspect(bytes))
    const hash = createHash('sha256')
    let bytes = 0
    await pipeline(
      copy,
      meter,
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length
          hash.update(chunk)
          callback()
        },
      }),
    )
    const verification = meter.verification ?? null
    const now = deps.clock.now()
    recorded = await deps.db.transaction(async (tx) => {
      const row = await markAssetStored(tx, asset.id, GUARD, {
        ...meter.outcome,
        blobKey: key,
        bytes,
        sha256: hash.digest('hex'),
        verification: verification as Record<string, unknown> | null,
        receivedAt: now,
      })
      // Recorded: the awaited object is done with. Not (another instance recorded it first, or the
      // submission closed meanwhile): this copy is.
      const orphans = row ? [awaited] : [key]
      await scheduleBlobDeletions(tx, orphans, now)
      return { row, orphans }
    })
  } catch (error) {
    if (error instanceof DocumentRejectedError) return reject(deps, asset, awaited, error.problem, [key])
    await discardBlobs(deps, [key])
    if (error instanceof VerifierBusyError) return 'busy'
    throw error
  }
  await deleteScheduledBlobs(deps, recorded.orphans)
  return recorded.row ? (recorded.row.state as CompletionOutcome) : 'lost'
}

/** Rejects the asset and deletes its awaited object (and `alsoDelete`), recorded in one transaction. */
async function reject(
  deps: CompleteUploadDeps,
  asset: AssetRow,
  awaited: string,
  reason: string,
  alsoDelete: readonly string[] = [],
): Promise<CompletionOutcome> {
  const now = deps.clock.now()
  const orphans = [awaited, ...alsoDelete]
  const row = await deps.db.transaction(async (tx) => {
    const rejected = await markAssetRejected(tx, asset.id, GUARD, reason, now)
    await scheduleBlobDeletions(tx, orphans, now)
    return rejected
  })
  await deleteScheduledBlobs(deps, orphans)
  return row ? 'rejected' : 'lost'
}

/**
 * One pass of the completion of direct uploads: looks at up to `limit` awaited assets, going on
 * after `cursor` (null: from the start); returns how many it settled and where the next pass goes
 * on. Safe on every instance at once: an arrival is copied and read by the one pass that claimed it,
 * and recorded by one guarded UPDATE.
 */
export async function completeUploads(
  deps: CompleteUploadDeps,
  options: { limit: number; cursor: string | null },
): Promise<{ settled: number; cursor: string | null }> {
  const awaited = await listAwaitedUploads(deps.db, {
    afterId: options.cursor,
    limit: options.limit,
    now: deps.clock.now(),
  })
  let settled = 0
  for (const asset of awaited) {
    const outcome = await completeUpload(deps, asset)
    if (outcome !== 'waiting' && outcome !== 'busy') settled += 1
  }
  return { settled, cursor: awaited.length < options.limit ? null : awaited.at(-1)!.id }
}

/**
 * One pass of the sweep of awaited objects no asset waits for any more: a PUT after the asset was
 * received (or rejected), or to an asset whose submission expired, was declined or is gone.
 * Looks at up to `limit` keys under `uploads/` after `cursor`; returns how many it deleted and
 * where the next pass goes on.
 */
export async function sweepStrayUploads(
  deps: CompleteUploadDeps,
  options: { limit: number; cursor: string | null },
): Promise<{ deleted: number; cursor: string | null }> {
  const keys = await deps.blobs.list('uploads/', { startAfter: options.cursor, limit: options.limit })
  const idOf = (key: string) => key.slice('uploads/'.length)
  const awaited = await stillAwaitedUploads(deps.db, keys.map(idOf), deps.clock.now())
  let deleted = 0
  for (const key of keys) {
    if (awaited.has(idOf(key))) continue
    await deps.blobs.delete(key)
    deleted += 1
  }
  return { deleted, cursor: keys.length < options.limit ? null : keys.at(-1)! }
}
