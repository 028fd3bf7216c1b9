import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { FsBlobStore } from '../../src/storage/fs-blob-store.js'
import { migrateBlobs } from '../../src/storage/migrate-blobs.js'
import { openS3BlobStore, type S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { startS3Server, type TestS3 } from '../support/s3-server.js'

const run = promisify(execFile)

describe('credport blobs migrate --to s3', () => {
  let s3: TestS3
  let target: S3BlobStore
  const dataDir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'credport-migrate-'))
  const root = path.join(dataDir, 'blobs')
  const documents: Record<string, Buffer> = {
    'submissions/a/one-000000000001': Buffer.from('%PDF-1.7 first'),
    'submissions/a/two-000000000002': Buffer.alloc(3 * 1024 * 1024, 'large document '),
    'submissions/b/three-000000000003': Buffer.from('{"opencerts": true}'),
  }
  before(async () => {
    s3 = await startS3Server()
    target = await openS3BlobStore(s3.settings, path.join(dataDir, 's3-spool'))
    const source = new FsBlobStore(root)
    for (const [key, bytes] of Object.entries(documents)) await source.put(key, Readable.from([bytes]))
    fs.writeFileSync(path.join(root, '.incoming', 'cut-short'), 'a write in progress is not migrated')
  })
  after(async () => {
    await target?.close()
    await s3?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('copies every blob, verified, and a second run (resumed) copies nothing again', async () => {
    const seen: number[] = []
    const first = await migrateBlobs(root, target, (p) => seen.push(p.done))
    assert.deepEqual(
      { copied: first.copied, skipped: first.skipped, total: first.total },
      { copied: 3, skipped: 0, total: 3 },
    )
    assert.deepEqual(seen, [0, 1, 2, 3], 'progress after every blob')
    for (const [key, bytes] of Object.entries(documents))
      assert.ok((await buffer((await target.get(key))!)).equals(bytes), key)
    // An interrupted run left one object half-done (here: different bytes): only it is copied again.
    await target.put('submissions/a/one-000000000001', Readable.from([Buffer.from('torn')]))
    const again = await migrateBlobs(root, target)
    assert.deepEqual({ copied: again.copied, skipped: again.skipped }, { copied: 1, skipped: 2 })
    assert.ok(
      (await buffer((await target.get('submissions/a/one-000000000001'))!)).equals(
        documents['submissions/a/one-000000000001']!,
      ),
    )
  })

  it('runs as the CLI command, with a progress line and a summary', async () => {
    const { stdout, stderr } = await run(process.execPath, ['bin/credport.js', 'blobs', 'migrate', '--to', 's3'], {
      env: { ...process.env, ...s3.env, DATA_DIR: dataDir, BLOB_STORE: 'fs' },
    })
    assert.match(
      stdout,
      /^0 blobs copied \(0 bytes\), 3 already in s3:\/\/credport-test\/credport\/, every SHA-256 verified\n$/,
    )
    assert.match(stderr, /\[=+\] 3\/3 blobs, 0\.0 MiB copied, 3 already there/)
    assert.ok(!stderr.includes('S3RVER'), 'no credentials printed')
  })

  it('refuses another target', async () => {
    await assert.rejects(
      run(process.execPath, ['bin/credport.js', 'blobs', 'migrate', '--to', 'gcs'], {
        env: { ...process.env, DATA_DIR: dataDir },
      }),
      (error: { code: number; stderr: string }) => error.code === 2 && /the only target is s3/.test(error.stderr),
    )
  })
})
