import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Writable, type Readable } from 'node:stream'
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
      try {
        await pipeline(body, meter, new DurableFileWriter(handle))
      } finally {
        await handle.close()
      }
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
   * synced already costs next to nothing. The folders are opened, synced and closed together (three
   * trips to the thread pool, not three per folder). If any of it fails, the blob is removed again.
   */
  private async moveIntoPlace(temporary: string, target: string): Promise<void> {
    await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 })
    await fs.promises.rename(temporary, target)
    const folders: string[] = []
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      folders.push(dir)
      if (dir === this.root || dir === path.dirname(dir)) break
    }
    try {
      await syncFolders(folders)
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

/** Bytes written between two flushes to the disk started while the rest of a document still arrives. */
const FLUSH_EVERY_BYTES = 4 * 1024 * 1024

/**
 * Writes a stream into an open file and syncs it to the disk before it finishes. Writes go out in
 * batches of up to 1 MiB (what arrived while the previous write ran: fewer syscalls than 64 KiB
 * socket reads); every FLUSH_EVERY_BYTES, an fdatasync of what is written so far starts in the
 * background, so that the disk writes a document while its next bytes arrive and the final
 * fsync (awaited before the stream finishes) only has the last few MiB left to flush.
 */
class DurableFileWriter extends Writable {
  private written = 0
  private flushedUpTo = 0
  private flushing: Promise<void> | null = null
  private flushError: unknown = null

  constructor(private readonly handle: fs.promises.FileHandle) {
    super({ highWaterMark: 1024 * 1024 })
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    this.writeAll(chunks.map((c) => c.chunk)).then(() => callback(), callback)
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll([chunk]).then(() => callback(), callback)
  }

  private async writeAll(buffers: Buffer[]): Promise<void> {
    if (this.flushError) throw this.flushError
    let pending = buffers
    while (pending.length > 0) {
      // A short write (rare on files) continues from where it stopped.
      let { bytesWritten } = await this.handle.writev(pending)
      this.written += bytesWritten
      const rest: Buffer[] = []
      for (const buffer of pending) {
        if (bytesWritten >= buffer.length) bytesWritten -= buffer.length
        else {
          rest.push(buffer.subarray(bytesWritten))
          bytesWritten = 0
        }
      }
      pending = rest
    }
    if (this.flushing === null && this.written - this.flushedUpTo >= FLUSH_EVERY_BYTES) {
      const upTo = this.written
      this.flushing = this.handle.datasync().then(
        () => {
          this.flushedUpTo = upTo
          this.flushing = null
        },
        (error: unknown) => {
          this.flushError = error
          this.flushing = null
        },
      )
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const finish = async () => {
      await this.flushing
      if (this.flushError) throw this.flushError
      await this.handle.sync()
    }
    finish().then(() => callback(), callback)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A flush still running must end before the caller closes the file.
    ;(this.flushing ?? Promise.resolve()).then(() => callback(error))
  }
}

/** Errors of opening or syncing a folder that mean the platform or file system cannot do it at all, as PostgreSQL treats them. */
const CANNOT_SYNC_FOLDERS = new Set(['EACCES', 'EISDIR', 'EPERM', 'EBADF', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP'])

/**
 * Flushes folders' entries to the disk (in the order given), where the platform can: Windows
 * cannot open folders, and some network and FUSE file systems refuse to sync them (there the
 * rename is as durable as the file system makes it). Throws the first other error, once every
 * folder opened is closed again.
 */
async function syncFolders(dirs: string[]): Promise<void> {
  const cannotSync = (error: unknown) => CANNOT_SYNC_FOLDERS.has((error as NodeJS.ErrnoException).code ?? '')
  const opened = await Promise.allSettled(dirs.map((dir) => fs.promises.open(dir, 'r')))
  const handles = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))
  try {
    for (const o of opened) if (o.status === 'rejected' && !cannotSync(o.reason)) throw o.reason
    // Every sync is started before the first is awaited: they run side by side.
    const synced = await Promise.allSettled(handles.map((handle) => handle.sync()))
    for (const o of synced) if (o.status === 'rejected' && !cannotSync(o.reason)) throw o.reason
  } finally {
    await Promise.all(handles.map((handle) => handle.close()))
  }
}
