import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sweepFolder } from '../lib/folder-sweep.js'
import { assertValidKey, sizeAndHashMeter, type BlobStore, type PutResult } from './blob-store.js'

/**
 * Blobs as files under one folder. A write goes to a temporary file, is flushed to the disk, and
 * is renamed into place (and the rename flushed) before `put` resolves: once a document is
 * answered 201 and recorded as received, a power loss cannot take its bytes back.
 */
export class FsBlobStore implements BlobStore {
  readonly kind = 'filesystem'
  readonly root: string
  constructor(root: string) {
    this.root = path.resolve(root)
    fs.mkdirSync(this.incoming, { recursive: true, mode: 0o700 })
  }

  /** Where writes go until they are complete; what a killed process left there, `removeIncomplete` removes. */
  private get incoming(): string {
    return path.join(this.root, '.incoming')
  }

  private pathOf(key: string): string {
    assertValidKey(key)
    return path.join(this.root, key)
  }

  async put(key: string, body: Readable, options: { maxBytes?: number } = {}): Promise<PutResult> {
    const target = this.pathOf(key)
    const temporary = path.join(this.incoming, randomUUID())
    const { meter, result } = sizeAndHashMeter(options.maxBytes)
    // Open the file before reading a byte, so that a failure at any point finds it there to remove.
    const handle = await fs.promises.open(temporary, 'wx', 0o600)
    try {
      // Larger writes than the 16 KiB default (fewer syscalls for multi-megabyte documents);
      // `flush` syncs the file to the disk before the stream closes it.
      await pipeline(body, meter, handle.createWriteStream({ highWaterMark: 1024 * 1024, flush: true }))
      await this.moveIntoPlace(temporary, target)
    } catch (error) {
      await fs.promises.rm(temporary, { force: true })
      throw error
    }
    return result()
  }

  /**
   * Renames a synced file to its key, then syncs every folder from the blob's up to the root: the
   * rename is an entry of the first, and a folder made for it (now, or a moment ago by another
   * upload that may not have synced it yet) an entry of the next. A folder whose entries were
   * synced already costs next to nothing. If any of it fails, the blob is removed again.
   */
  private async moveIntoPlace(temporary: string, target: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 })
    await fs.promises.rename(temporary, target)
    try {
      for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
        await syncFolder(dir)
        if (dir === this.root || dir === path.dirname(dir)) break
      }
    } catch (error) {
      await fs.promises.rm(target, { force: true })
      throw error
    }
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

  async removeIncomplete(before: Date | null, limit: number): Promise<number> {
    // A file is last written no earlier than it was created: one untouched since `before` (when
    // that is longer ago than any write can take) belongs to no write still in progress.
    return sweepFolder(this.incoming, { before, limit })
  }

  async close(): Promise<void> {}
}

/** Errors of opening or syncing a folder that mean the platform or file system cannot do it at all, as PostgreSQL treats them. */
const CANNOT_SYNC_FOLDERS = new Set(['EACCES', 'EISDIR', 'EPERM', 'EBADF', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP'])

/**
 * Flushes a folder's entries to the disk, where the platform can: Windows cannot open folders,
 * and some network and FUSE file systems refuse to sync them (there the rename is as durable as
 * the file system makes it).
 */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined
  try {
    handle = await fs.promises.open(dir, 'r')
    await handle.sync()
  } catch (error) {
    if (!CANNOT_SYNC_FOLDERS.has((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    await handle?.close()
  }
}
