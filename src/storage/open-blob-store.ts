import path from 'node:path'
import type { Config } from '../config.js'
import type { BlobStore } from './blob-store.js'
import { FsBlobStore } from './fs-blob-store.js'

export class BlobStoreUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BlobStoreUnavailableError'
  }
}

/**
 * The store `BLOB_STORE` names: files under `DATA_DIR/blobs`, or an S3-compatible bucket (the AWS
 * SDK is imported only then; documents Credport stores itself pass through `DATA_DIR/s3-spool`). A bucket that does not answer stops the start, saying which.
 */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  const settings = config.blobStore
  if (settings.kind === 'fs') return new FsBlobStore(path.join(config.dataDir, 'blobs'))
  const { openS3BlobStore } = await import('./s3-blob-store.js')
  const store = await openS3BlobStore(settings, path.join(config.dataDir, 's3-spool'))
  try {
    await store.check()
  } catch (error) {
    await store.close()
    const where = settings.endpoint ?? `AWS S3 (${settings.region})`
    throw new BlobStoreUnavailableError(
      `the S3 bucket ${settings.bucket} at ${where} does not answer: ${(error as Error).name} ${(error as Error).message}`.trim(),
    )
  }
  return store
}
