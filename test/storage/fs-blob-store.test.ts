import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { after, describe, it } from 'node:test'
import { BlobTooLargeError } from '../../src/storage/blob-store.js'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'

describe('filesystem blob store', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-blobs-'))
  const store = new FsBlobStore(root)
  after(() => fs.rmSync(root, { recursive: true, force: true }))
  const leftovers = () => fs.readdirSync(path.join(root, '.incoming'))

  it('streams a blob in, reporting size and SHA-256, and reads it back', async () => {
    const chunks = ['hello ', 'blob ', 'world']
    const result = await store.put('sub/one.txt', Readable.from(chunks.map((c) => Buffer.from(c))))
    assert.equal(result.bytes, 16)
    assert.equal(result.sha256, createHash('sha256').update(chunks.join('')).digest('hex'))
    assert.equal(await text((await store.get('sub/one.txt'))!), 'hello blob world')
  })

  it('leaves nothing behind when the limit is exceeded', async () => {
    await assert.rejects(
      store.put('big.bin', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }),
      BlobTooLargeError,
    )
    assert.equal(await store.get('big.bin'), null)
    assert.deepEqual(leftovers(), [])
  })

  it('leaves nothing behind when the source fails midway', async () => {
    async function* failing() {
      yield Buffer.from('partial')
      throw new Error('client went away')
    }
    await assert.rejects(store.put('broken.bin', Readable.from(failing())), /client went away/)
    assert.equal(await store.get('broken.bin'), null)
    assert.deepEqual(leftovers(), [])
  })

  it('returns null for a missing blob and deletes idempotently', async () => {
    assert.equal(await store.get('missing'), null)
    await store.put('gone', Readable.from([Buffer.from('x')]))
    await store.delete('gone')
    await store.delete('gone')
    assert.equal(await store.get('gone'), null)
  })

  /**
   * Runs `fn` while the calls that make a blob durable are recorded (and still performed, unless
   * `failFolderSync` names an error code a folder's sync then fails with).
   */
  async function watchingSyncs(fn: () => Promise<void>, failFolderSync?: string): Promise<string[]> {
    const calls: string[] = []
    const relative = (file: string) => path.relative(root, file).replaceAll(path.sep, '/') || '.'
    const { open, rename } = fs.promises
    fs.promises.open = async (file, ...rest) => {
      const handle = await open(file, ...rest)
      const name = relative(String(file))
      const { sync } = handle
      handle.sync = async () => {
        calls.push(`sync ${name.startsWith('.incoming/') ? '.incoming/…' : name}`)
        if (failFolderSync && !name.startsWith('.incoming/'))
          throw Object.assign(new Error(`${failFolderSync}: fsync`), { code: failFolderSync })
        return sync.call(handle)
      }
      return handle
    }
    fs.promises.rename = async (from, to) => (calls.push(`rename to ${relative(String(to))}`), rename(from, to))
    try {
      await fn()
    } finally {
      Object.assign(fs.promises, { open, rename })
    }
    return calls
  }

  it('flushes the bytes to the disk before renaming them into place, then every folder up to the root', async () => {
    const first = await watchingSyncs(() =>
      store.put('new/folders/doc.pdf', Readable.from([Buffer.from('%PDF-1.7 durable')])).then(() => {}),
    )
    assert.deepEqual(first, [
      'sync .incoming/…',
      'rename to new/folders/doc.pdf',
      'sync new/folders',
      'sync new',
      'sync .',
    ])
    // The folders exist now, but another upload may have made them without syncing them yet: synced again.
    const again = await watchingSyncs(() =>
      store.put('new/folders/again.pdf', Readable.from([Buffer.from('%PDF-1.7 again')])).then(() => {}),
    )
    assert.deepEqual(again, [
      'sync .incoming/…',
      'rename to new/folders/again.pdf',
      'sync new/folders',
      'sync new',
      'sync .',
    ])
    assert.equal(await text((await store.get('new/folders/doc.pdf'))!), '%PDF-1.7 durable')
  })

  it('takes a file system that cannot sync folders as it is', async () => {
    await watchingSyncs(
      () => store.put('fuse/doc.pdf', Readable.from([Buffer.from('%PDF-1.7 on FUSE')])).then(() => {}),
      'EINVAL',
    )
    assert.equal(await text((await store.get('fuse/doc.pdf'))!), '%PDF-1.7 on FUSE')
  })

  it('removes the blob again when a folder cannot be synced: nothing is left behind', async () => {
    await watchingSyncs(
      () => assert.rejects(store.put('failing/doc.pdf', Readable.from([Buffer.from('%PDF-1.7 lost')])), /EIO/),
      'EIO',
    )
    assert.equal(await store.get('failing/doc.pdf'), null)
    assert.deepEqual(leftovers(), [])
  })

  it('refuses keys that could escape the folder', async () => {
    for (const key of ['../x', '/etc/passwd', 'a/../../b', '', 'a//b', '.hidden']) {
      await assert.rejects(store.put(key, Readable.from([Buffer.from('x')])), /invalid blob key/, key)
    }
  })
})
