import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { assertValidKey, BlobTooLargeError, type BlobStore, type PutResult } from './blob-store.js'

/**
 * Blobs as files under one folder. A write goes to a temporary file, is flushed to the disk, and
 * is renamed into place (and the rename flushed) before `put` resolves: once a document is
 * answered 201 and recorded as received, a power loss cannot take its bytes back.
 */
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
      // Larger writes than the 16 KiB default (fewer syscalls for multi-megabyte documents);
      // `flush` syncs the file to the disk before the stream closes it.
      await pipeline(body, meter, handle.createWriteStream({ highWaterMark: 1024 * 1024, flush: true }))
      const folder = path.dirname(target)
      const created = await fs.promises.mkdir(folder, { recursive: true })
      await fs.promises.rename(temporary, target)
      // The rename, and any folder just created for it, are entries of their parent folders.
      for (const dir of foldersToSync(folder, created)) await syncFolder(dir)
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

/**
 * The folders whose entries changed when a blob was renamed into `folder`: that folder and, when
 * `mkdir` made folders for it (`created` is the topmost), the parent of each new folder.
 */
function foldersToSync(folder: string, created: string | undefined): string[] {
  const folders = [folder]
  if (created === undefined) return folders
  for (let dir = folder; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    folders.push(path.dirname(dir))
    if (dir === created) break
  }
  return folders
}

/** Flushes a folder's entries to the disk (where the platform can: Windows cannot open folders). */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(dir, 'r')
  } catch (error) {
    if (process.platform === 'win32') return
    throw error
  }
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
