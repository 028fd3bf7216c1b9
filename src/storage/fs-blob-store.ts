import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { assertValidKey, BlobTooLargeError, type BlobStore, type PutResult } from './blob-store.js'

/** Blobs as files under one folder; writes go to a temporary file renamed into place when complete. */
export class FsBlobStore implements BlobStore {
  readonly kind = 'filesystem'
  constructor(readonly root: string) {
    fs.mkdirSync(path.join(root, '.incoming'), { recursive: true })
  }

  private pathOf(key: string): string {
    assertValidKey(key)
    return path.join(this.root, key)
  }

  async put(key: string, body: Readable, options: { maxBytes?: number } = {}): Promise<PutResult> {
    const target = this.pathOf(key)
    const temporary = path.join(this.root, '.incoming', randomUUID())
    const hash = createHash('sha256')
    let bytes = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        bytes += chunk.length
        if (options.maxBytes !== undefined && bytes > options.maxBytes) {
          callback(new BlobTooLargeError(options.maxBytes))
          return
        }
        hash.update(chunk)
        callback(null, chunk)
      },
    })
    // Open the file before reading a byte, so that a failure at any point finds it there to remove.
    const handle = await fs.promises.open(temporary, 'wx', 0o600)
    try {
      // Larger writes than the 16 KiB default: fewer syscalls for multi-megabyte documents.
      await pipeline(body, meter, handle.createWriteStream({ highWaterMark: 1024 * 1024 }))
      await fs.promises.mkdir(path.dirname(target), { recursive: true })
      await fs.promises.rename(temporary, target)
    } catch (error) {
      await fs.promises.rm(temporary, { force: true })
      throw error
    }
    return { bytes, sha256: hash.digest('hex') }
  }

  async get(key: string): Promise<Readable | null> {
    const file = this.pathOf(key)
    try {
      const handle = await fs.promises.open(file, 'r')
      return handle.createReadStream()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true })
  }

  async close(): Promise<void> {}
}
