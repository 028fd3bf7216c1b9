import { createHash } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'

export interface PutResult {
  bytes: number
  /** Hex SHA-256 of what was stored. */
  sha256: string
}

/** Where document bytes live: the data folder by default, S3-compatible storage at scale. */
export interface BlobStore {
  readonly kind: string
  /**
   * Streams `body` into `key`. The blob appears only when the whole body was received; on any
   * failure (including `maxBytes` exceeded, which rejects with BlobTooLargeError) nothing is left.
   */
  put(key: string, body: Readable, options?: { maxBytes?: number }): Promise<PutResult>
  /** A stream of the blob, or null when there is none. */
  get(key: string): Promise<Readable | null>
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>
  /**
   * Removes what writes cut short left behind (a process killed mid-upload cannot): up to `limit`
   * of them last written before `before`, or all of them when `before` is null, which only a
   * process that no other process shares the store with may ask, at start. Returns how many.
   */
  removeIncomplete(before: Date | null, limit: number): Promise<number>
  /**
   * Stores that take uploads directly (S3): a URL that takes one `PUT` of `key`'s bytes with this
   * Content-Type (and length, where given) until `expiresInSeconds` after `now`.
   */
  presignPut?(
    key: string,
    options: { contentType: string; contentLength?: number; expiresInSeconds: number; now: Date },
  ): Promise<string>
  /** Readiness: throws when the store does not answer (a bucket that cannot be reached). */
  check?(): Promise<void>
  close(): Promise<void>
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`blob larger than ${maxBytes} bytes`)
    this.name = 'BlobTooLargeError'
  }
}

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/

/** Keys are relative slash-separated names; nothing may climb out of the store. */
export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`)
  }
}

/** A store partners upload to directly (S3), and what the completion job asks of it. */
export interface DirectUploadStore extends BlobStore {
  presignPut: NonNullable<BlobStore['presignPut']>
  /** Size and ETag of a blob, or null when there is none. */
  head(key: string): Promise<{ bytes: number; etag: string } | null>
  /** Bytes `start` to `end` (inclusive) of a blob, or null when there is none. */
  getRange(key: string, range: { start: number; end: number }): Promise<Readable | null>
  /** Copies `from` to `to`, only while `from` is still the object `etag` names. */
  copy(from: string, to: string, etag: string): Promise<void>
  /** Up to `limit` keys under `prefix` (ending in '/'), in key order after `startAfter`. */
  list(prefix: string, options: { startAfter: string | null; limit: number }): Promise<string[]>
}

export function takesDirectUploads(store: BlobStore): store is DirectUploadStore {
  const candidate = store as Partial<DirectUploadStore>
  return (
    typeof candidate.presignPut === 'function' &&
    typeof candidate.head === 'function' &&
    typeof candidate.getRange === 'function' &&
    typeof candidate.copy === 'function' &&
    typeof candidate.list === 'function'
  )
}

/**
 * A pass-through stream that counts and hashes what a store writes, failing with
 * BlobTooLargeError past `maxBytes`: both stores' `put` pipe the body through one. `result()`
 * reads the size and hex SHA-256 once the body has been written whole.
 */
export function sizeAndHashMeter(maxBytes: number | undefined): { meter: Transform; result(): PutResult } {
  const hash = createHash('sha256')
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      if (maxBytes !== undefined && bytes > maxBytes) {
        callback(new BlobTooLargeError(maxBytes))
        return
      }
      hash.update(chunk)
      callback(null, chunk)
    },
  })
  return { meter, result: () => ({ bytes, sha256: hash.digest('hex') }) }
}
