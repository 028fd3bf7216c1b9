import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { buffer, text } from 'node:stream/consumers'
import { after, before, describe, it } from 'node:test'
import { BlobTooLargeError, type BlobStore } from '../../src/storage/blob-store.js'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'
import { openS3BlobStore, type S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { startS3Server, type TestS3 } from '../support/s3-server.js'

/** What every BlobStore does, run against the filesystem store and an S3-compatible server. */
function contract(name: string, open: () => Promise<{ store: BlobStore; leftovers: () => string[] }>) {
  describe(`${name} blob store (contract)`, () => {
    let store: BlobStore
    let leftovers: () => string[]
    before(async () => ({ store, leftovers } = await open()))

    it('streams a blob in, reporting size and SHA-256, and reads it back', async () => {
      const chunks = ['hello ', 'blob ', 'world']
      const result = await store.put('sub/one.txt', Readable.from(chunks.map((c) => Buffer.from(c))))
      assert.equal(result.bytes, 16)
      assert.equal(result.sha256, createHash('sha256').update(chunks.join('')).digest('hex'))
      assert.equal(await text((await store.get('sub/one.txt'))!), 'hello blob world')
    })

    it('stores a multi-megabyte blob whole', async () => {
      const big = Buffer.alloc(9 * 1024 * 1024 + 7, 'credport')
      const result = await store.put('big/doc.pdf', Readable.from([big.subarray(0, 1e6), big.subarray(1e6)]))
      assert.equal(result.bytes, big.length)
      assert.ok((await buffer((await store.get('big/doc.pdf'))!)).equals(big))
    })

    it('leaves nothing behind when the limit is exceeded', async () => {
      await assert.rejects(
        store.put('too-big.bin', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 }),
        BlobTooLargeError,
      )
      assert.equal(await store.get('too-big.bin'), null)
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

    it('refuses keys that could escape the store', async () => {
      for (const key of ['../x', '/etc/passwd', 'a/../../b', '', 'a//b', '.hidden']) {
        await assert.rejects(store.put(key, Readable.from([Buffer.from('x')])), /invalid blob key/, key)
      }
    })

    it('removes what a write cut short left behind', async () => {
      assert.equal(await store.removeIncomplete(null, 10), 0)
    })
  })
}

const scratch = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'credport-blob-stores-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))

contract('filesystem', async () => {
  const root = path.join(scratch, 'fs')
  const store = new FsBlobStore(root)
  after(() => store.close())
  return { store, leftovers: () => fs.readdirSync(path.join(root, '.incoming')) }
})

let s3: TestS3
let s3Store: S3BlobStore
const spool = path.join(scratch, 's3-spool')
// Last: the describe below uses the same server.
after(async () => {
  await s3Store?.close()
  await s3?.close()
})
contract('S3', async () => {
  s3 = await startS3Server()
  s3Store = await openS3BlobStore(s3.settings, spool)
  return { store: s3Store, leftovers: () => fs.readdirSync(spool) }
})

describe('S3 blob store', () => {
  it('keeps its objects under S3_PREFIX, and heads and range-reads them', async () => {
    await s3Store.put('prefixed/doc.txt', Readable.from([Buffer.from('%PDF-1.7 rest')]))
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3')
    const listed = await s3Store.client.send(
      new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: 'prefixed' }),
    )
    assert.equal(listed.KeyCount ?? 0, 0)
    const head = await s3Store.head('prefixed/doc.txt')
    assert.equal(head?.bytes, 13)
    assert.equal(await text((await s3Store.getRange('prefixed/doc.txt', { start: 0, end: 7 }))!), '%PDF-1.7')
    assert.equal(await s3Store.head('prefixed/none'), null)
  })

  it('answers the readiness check while the bucket does, and fails it when the bucket is gone', async () => {
    await s3Store.check()
    const other = await openS3BlobStore({ ...s3.settings, bucket: 'no-such-bucket' }, spool)
    await assert.rejects(other.check())
    await other.close()
  })

  it('a store that takes connections and never answers fails a request after the idle timeout, not never', async () => {
    const silent = net.createServer(() => {})
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as net.AddressInfo
    const mute = await openS3BlobStore({ ...s3.settings, endpoint: `http://127.0.0.1:${port}` }, spool, {
      connectMs: 1_000,
      idleMs: 500,
    })
    try {
      const started = Date.now()
      await assert.rejects(mute.delete('any/key'), { name: 'TimeoutError' })
      assert.ok(Date.now() - started < 10_000, 'given up within seconds')
    } finally {
      await mute.close()
      silent.close()
    }
  })

  it('a spooled write that a killed process left behind is removed', async () => {
    fs.writeFileSync(path.join(spool, 'killed-mid-write'), 'partial')
    assert.equal(await s3Store.removeIncomplete(new Date(Date.now() + 60_000), 10), 1)
    assert.deepEqual(fs.readdirSync(spool), [])
  })
})
