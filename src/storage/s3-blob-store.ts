import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { S3Client } from '@aws-sdk/client-s3'
import type { S3Settings } from '../config.js'
import { sweepFolder } from '../lib/folder-sweep.js'
import { assertValidKey, sizeAndHashMeter, type BlobStore, type PutResult } from './blob-store.js'

/** The SDK's modules, imported when an S3 store is opened (the filesystem default never loads them). */
type Sdk = typeof import('@aws-sdk/client-s3')
type Presigner = typeof import('@aws-sdk/s3-request-presigner')

/** What a presigned PUT signs besides the key and expiry. */
export interface PresignPutOptions {
  /** Signed: the PUT must carry exactly this Content-Type. */
  contentType: string
  /** Signed when given: the PUT must carry exactly this Content-Length. */
  contentLength?: number
  /** Signed when given (base64): S3 refuses bytes whose SHA-256 differs. */
  checksumSha256?: string
  expiresInSeconds: number
  now: Date
}

/** How long the SDK waits for a connection, and for any byte on an open one, before it gives up. */
export interface S3Timeouts {
  connectMs: number
  /**
   * Inactivity, not the whole request: a document streamed to a slow holder keeps its socket
   * busy; one whose reader stalls this long is cut (the holder downloads it again).
   */
  idleMs: number
}
export const S3_TIMEOUTS: S3Timeouts = { connectMs: 5_000, idleMs: 60_000 }

/** The longest a SigV4 presigned URL may last (7 days). */
const SIGV4_MAX_SECONDS = 604_800

/** Opens an S3-compatible store, importing the AWS SDK only now. `spoolDir`: see S3BlobStore. */
export async function openS3BlobStore(
  settings: S3Settings,
  spoolDir: string,
  timeouts: S3Timeouts = S3_TIMEOUTS,
): Promise<S3BlobStore> {
  const [sdk, presigner] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')])
  const client = new sdk.S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    // Checksums only where S3 requires them: many S3-compatible stores do not take the SDK's
    // default trailing CRC32 (aws-chunked bodies); `put` computes its own SHA-256 anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A store that takes connections and never answers fails a request instead of holding it
    // (and a purge's delete, or a job pass, behind it) for ever.
    requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.idleMs },
  })
  const store = new S3BlobStore(sdk, presigner, client, settings, spoolDir)
  await store.refreshCredentials()
  return store
}

/** Credentials of the default chain are fetched again this long before they expire. */
const CREDENTIALS_MARGIN_MS = 15 * 60 * 1000

/**
 * Blobs as objects in one bucket, under `S3_PREFIX`. `put` (documents Credport fetched or was
 * sent inline; uploads go straight to the bucket) spools the body to a local file while it
 * measures and hashes it, then stores it with one `PutObject` of known length: S3 makes an object
 * visible only when its whole body arrived, an oversize or broken body never reaches the bucket,
 * and no S3-compatible store needs multipart support. What a killed process left in the spool
 * folder, `removeIncomplete` removes.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3'
  private credentials: { expiration?: Date } | undefined
  private refreshTimer: NodeJS.Timeout | undefined
  constructor(
    private readonly sdk: Sdk,
    private readonly presigner: Presigner,
    readonly client: S3Client,
    readonly settings: S3Settings,
    private readonly spoolDir: string,
  ) {
    fs.mkdirSync(spoolDir, { recursive: true, mode: 0o700 })
  }

  get bucket(): string {
    return this.settings.bucket
  }

  /** The object key of a blob key. */
  objectKey(key: string): string {
    assertValidKey(key)
    return `${this.settings.prefix}${key}`
  }

  async put(key: string, body: Readable, options: { maxBytes?: number } = {}): Promise<PutResult> {
    const objectKey = this.objectKey(key)
    const spooled = path.join(this.spoolDir, randomUUID())
    const { meter, result } = sizeAndHashMeter(options.maxBytes)
    const handle = await fs.promises.open(spooled, 'wx', 0o600)
    try {
      await pipeline(body, meter, handle.createWriteStream({ highWaterMark: 1024 * 1024 }))
      const written = result()
      await this.client.send(
        new this.sdk.PutObjectCommand({
          Bucket: this.bucket,
          Key: objectKey,
          Body: fs.createReadStream(spooled, { highWaterMark: 1024 * 1024 }),
          ContentLength: written.bytes,
        }),
      )
      return written
    } finally {
      await fs.promises.rm(spooled, { force: true })
    }
  }

  async get(key: string): Promise<Readable | null> {
    return this.getRange(key)
  }

  /** The blob's bytes from `start` to `end` (inclusive) or the whole of it; null when there is none. */
  async getRange(key: string, range?: { start: number; end: number }): Promise<Readable | null> {
    try {
      const response = await this.client.send(
        new this.sdk.GetObjectCommand({
          Bucket: this.bucket,
          Key: this.objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      )
      return response.Body as Readable
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  /** Size and ETag of a blob, or null when there is none. */
  async head(key: string): Promise<{ bytes: number; etag: string; contentType: string | undefined } | null> {
    try {
      const response = await this.client.send(
        new this.sdk.HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      )
      return { bytes: response.ContentLength ?? 0, etag: response.ETag ?? '', contentType: response.ContentType }
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  /**
   * Copies a blob inside the bucket, only while it is still the object `etag` names (a PUT in
   * between fails the copy with 412): what was checked is what is copied.
   */
  async copy(from: string, to: string, etag: string): Promise<void> {
    await this.client.send(
      new this.sdk.CopyObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(to),
        CopySource: `${this.bucket}/${this.objectKey(from)}`,
        CopySourceIfMatch: etag || undefined,
      }),
    )
  }

  /** Up to `limit` blob keys under the folder `prefix` (`uploads/`), in key order after `startAfter`. */
  async list(prefix: string, options: { startAfter: string | null; limit: number }): Promise<string[]> {
    const page = await this.client.send(
      new this.sdk.ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: `${this.objectKey(prefix.replace(/\/$/, ''))}/`,
        StartAfter: options.startAfter ? this.objectKey(options.startAfter) : undefined,
        MaxKeys: options.limit,
      }),
    )
    return (page.Contents ?? []).map((object) => object.Key!.slice(this.settings.prefix.length))
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }))
  }

  async removeIncomplete(before: Date | null, limit: number): Promise<number> {
    return sweepFolder(this.spoolDir, { before, limit })
  }

  /**
   * Resolves the credentials presigned URLs are signed with (the static keys, or the SDK's default
   * chain), and when they expire, resolves them again before they do.
   */
  async refreshCredentials(): Promise<void> {
    const resolved = await this.client.config.credentials()
    this.credentials = resolved
    clearTimeout(this.refreshTimer)
    if (resolved.expiration) {
      const wait = Math.max(60_000, resolved.expiration.getTime() - Date.now() - CREDENTIALS_MARGIN_MS)
      this.refreshTimer = setTimeout(() => {
        this.refreshCredentials().catch(() => {})
      }, wait).unref()
    }
  }

  /**
   * A presigned PUT URL for a blob key (the SDK's SigV4 presigner), signing its Content-Type (and
   * length and SHA-256 where known). With temporary credentials, no longer than they last.
   */
  async presignPut(key: string, options: PresignPutOptions): Promise<string> {
    const expiration = this.credentials?.expiration
    const lasts = expiration ? Math.floor((expiration.getTime() - options.now.getTime()) / 1000) : Infinity
    const command = new this.sdk.PutObjectCommand({
      Bucket: this.bucket,
      Key: this.objectKey(key),
      ContentType: options.contentType,
      ContentLength: options.contentLength,
      ChecksumSHA256: options.checksumSha256,
    })
    const signed = new Set(['content-type'])
    if (options.contentLength !== undefined) signed.add('content-length')
    if (options.checksumSha256 !== undefined) signed.add('x-amz-checksum-sha256')
    return this.presigner.getSignedUrl(this.client, command, {
      expiresIn: Math.max(1, Math.min(options.expiresInSeconds, lasts, SIGV4_MAX_SECONDS)),
      signingDate: options.now,
      signableHeaders: signed,
      // Headers the client sends must stay headers (signed), not become query parameters.
      unhoistableHeaders: signed,
    })
  }

  /** Readiness: the bucket answers (and these credentials may use it). */
  async check(): Promise<void> {
    await this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.bucket }))
  }

  async close(): Promise<void> {
    clearTimeout(this.refreshTimer)
    this.client.destroy()
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
}

function isMissing(error: unknown): boolean {
  const name = (error as Error).name
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404
}
