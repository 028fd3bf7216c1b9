import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import type { BlobStore } from './blob-store.js'

export interface MigrationProgress {
  /** Blobs looked at so far, of `total`. */
  done: number
  total: number
  copied: number
  /** Already in the target with the same SHA-256 (a run resumed after an interruption). */
  skipped: number
  bytes: number
}

export class BlobMismatchError extends Error {
  constructor(readonly key: string) {
    super(`the copy of ${key} does not have the SHA-256 of the file: nothing was deleted, run the migration again`)
    this.name = 'BlobMismatchError'
  }
}

/** Every blob key of a filesystem store's folder (writes in progress, in `.incoming`, excluded). */
export function filesystemBlobKeys(root: string): string[] {
  const keys: string[] = []
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue
      const key = prefix ? `${prefix}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(path.join(dir, entry.name), key)
      else if (entry.isFile()) keys.push(key)
    }
  }
  if (fs.existsSync(root)) walk(root, '')
  return keys.sort()
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of stream) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Copies every blob of a filesystem store's folder into `target` (the bucket), verifying each:
 * the copy is read back and its SHA-256 compared with the file's. Resumable: a blob already in
 * the target with the file's SHA-256 is skipped. Files are left in place (delete `DATA_DIR/blobs`
 * once the instances run on S3).
 */
export async function migrateBlobs(
  root: string,
  target: Pick<BlobStore, 'put' | 'get'>,
  onProgress: (progress: MigrationProgress) => void = () => {},
): Promise<MigrationProgress> {
  const keys = filesystemBlobKeys(root)
  const progress: MigrationProgress = { done: 0, total: keys.length, copied: 0, skipped: 0, bytes: 0 }
  onProgress({ ...progress })
  for (const key of keys) {
    const file = path.join(root, ...key.split('/'))
    const expected = await sha256Of(fs.createReadStream(file))
    const existing = await target.get(key)
    if (existing && (await sha256Of(existing)) === expected) {
      progress.skipped += 1
    } else {
      const put = await target.put(key, fs.createReadStream(file, { highWaterMark: 1024 * 1024 }))
      const stored = await target.get(key)
      if (put.sha256 !== expected || !stored || (await sha256Of(stored)) !== expected) throw new BlobMismatchError(key)
      progress.copied += 1
      progress.bytes += put.bytes
    }
    progress.done += 1
    onProgress({ ...progress })
  }
  return progress
}
