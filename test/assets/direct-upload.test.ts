import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { Socket } from 'node:net'
import { buffer } from 'node:stream/consumers'
import { after, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { submissions } from '../../src/db/schema.js'
import { perform as completeDirectUploads } from '../../src/jobs/complete-direct-uploads.js'
import { awaitedUploadKey, completeUpload } from '../../src/modules/assets/index.js'
import type { DirectUploadStore } from '../../src/storage/blob-store.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { assetRow, makeSubmissionWithAssets, pdfHeadedBuffer, readFixture } from '../support/asset-factory.js'
import { startS3Server } from '../support/s3-server.js'

const PDF = readFixture('documents/tiny.pdf')
const PNG = readFixture('documents/pixel.png')
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const s3 = await startS3Server()
after(() => s3.close())

/** PUTs bytes to a presigned URL as a partner does (`curl -X PUT --data-binary`). */
async function putDirect(url: string, bytes: Buffer, contentType: string): Promise<number> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(bytes),
  })
  await response.arrayBuffer()
  return response.status
}

async function oneAwaited(t: TestApp, assetType: 'pdf' | 'png' | 'jpg' | 'open_cert') {
  const made = await makeSubmissionWithAssets(t, { assets: [{ assetType }] })
  const asset = made.assets[0]!
  return { asset, link: await t.deps.uploads.issue(asset) }
}

const store = (t: TestApp) => t.deps.blobs as DirectUploadStore
const pass = (t: TestApp) => completeDirectUploads(t.deps, { limit: 50 })

describeEachBackend(
  'direct uploads to S3, completed by the job',
  (use) => {
    test('a PDF PUT to the presigned URL is received and recorded, with no byte through Credport', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      assert.equal(new URL(link.url).origin, s3.endpoint)
      const sockets: Socket[] = []
      const onConnection = (socket: Socket) => sockets.push(socket)
      t.app.server.on('connection', onConnection)
      try {
        assert.equal(await putDirect(link.url, PDF, link.content_type), 200)
      } finally {
        t.app.server.off('connection', onConnection)
      }
      assert.equal(
        sockets.reduce((sum, socket) => sum + socket.bytesRead, 0),
        0,
        'bytes Credport read',
      )
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload', 'not before the job looked')

      assert.ok((await pass(t)) >= 1)
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'received')
      assert.equal(row.bytes, PDF.length)
      assert.equal(row.sha256, sha256(PDF))
      assert.match(row.blobKey!, new RegExp(`^submissions/${row.submissionId}/${asset.id}-[0-9a-f]{12}$`))
      assert.ok((await buffer((await t.deps.blobs.get(row.blobKey!))!)).equals(PDF))
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null, 'the awaited object is gone')
    })

    test('a second PUT after receipt changes nothing the holder sees', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      assert.equal(await putDirect(link.url, PDF, link.content_type), 200)
      await pass(t)
      const received = await assetRow(t, asset.id)
      const other = await pdfHeadedBuffer(2048)
      assert.equal(await putDirect(link.url, other, link.content_type), 200)
      await pass(t)
      const after = await assetRow(t, asset.id)
      assert.deepEqual(
        { state: after.state, key: after.blobKey, sha256: after.sha256 },
        { state: 'received', key: received.blobKey, sha256: sha256(PDF) },
      )
      assert.ok((await buffer((await t.deps.blobs.get(after.blobKey!))!)).equals(PDF))
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null, 'the late object is swept')
    })

    test('two passes at once (two instances, or a status read beside the job): one copies and reads the arrival', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      assert.equal(await putDirect(link.url, PDF, link.content_type), 200)
      // The real bucket, with its copies and whole reads counted.
      const real = store(t)
      const counted = { copies: 0, reads: 0 }
      const watched: DirectUploadStore = Object.assign(Object.create(real) as DirectUploadStore, {
        copy: (from: string, to: string, etag: string) => {
          counted.copies += 1
          return real.copy(from, to, etag)
        },
        get: (key: string) => {
          counted.reads += 1
          return real.get(key)
        },
      })
      const deps = { ...t.deps, blobs: watched }
      const row = await assetRow(t, asset.id)
      const outcomes = await Promise.all([completeUpload(deps, row), completeUpload(deps, row)])
      assert.deepEqual(outcomes.sort(), ['received', 'waiting'])
      assert.deepEqual(counted, { copies: 1, reads: 1 })
      const after = await assetRow(t, asset.id)
      assert.equal(after.state, 'received')
      assert.equal(after.sha256, sha256(PDF))
    })

    test('a claim given back (nothing recorded) lets the next pass complete the asset', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      assert.equal(await putDirect(link.url, PDF, link.content_type), 200)
      const row = await assetRow(t, asset.id)
      // A pass whose copy fails (the object was replaced after its HEAD: 412) gives its claim back.
      const real = store(t)
      const refusing = Object.assign(Object.create(real) as DirectUploadStore, {
        copy: () =>
          Promise.reject(Object.assign(new Error('precondition failed'), { $metadata: { httpStatusCode: 412 } })),
      })
      assert.equal(await completeUpload({ ...t.deps, blobs: refusing }, row), 'waiting')
      assert.equal((await assetRow(t, asset.id)).arrivalClaimedUntil, null)
      assert.equal(await completeUpload(t.deps as typeof t.deps & { blobs: DirectUploadStore }, row), 'received')
    })

    test('bytes that are not the declared type are rejected and deleted', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      // The signed content type, the wrong bytes: the magic bytes decide.
      assert.equal(await putDirect(link.url, PNG, link.content_type), 200)
      await pass(t)
      const row = await assetRow(t, asset.id)
      assert.deepEqual({ state: row.state, reason: row.rejectReason }, { state: 'rejected', reason: 'type_mismatch' })
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null)
    })

    test('an oversize object is rejected and deleted', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      assert.equal(
        await putDirect(link.url, await pdfHeadedBuffer(t.config.uploadMaxBytes + 1), link.content_type),
        200,
      )
      await pass(t)
      const row = await assetRow(t, asset.id)
      assert.deepEqual({ state: row.state, reason: row.rejectReason }, { state: 'rejected', reason: 'too_large' })
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null)
    })

    test('an object PUT for a declined submission is deleted, not recorded', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'pdf')
      await t.deps.db.update(submissions).set({ status: 'canceled' }).where(eq(submissions.id, asset.submissionId))
      assert.equal(await putDirect(link.url, PDF, link.content_type), 200)
      await pass(t)
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null)
    })

    test('OpenCerts documents are verified from the bucket: wrapped → verified, one field altered → rejected', async () => {
      const t = use()
      for (const [fixture, state, reason] of [
        ['opencerts/wrapped.json', 'verified', null],
        ['opencerts/tampered.json', 'rejected', 'integrity_failed'],
      ] as const) {
        const { asset, link } = await oneAwaited(t, 'open_cert')
        const bytes = readFixture(fixture)
        assert.equal(await putDirect(link.url, bytes, link.content_type), 200)
        await pass(t)
        const row = await assetRow(t, asset.id)
        assert.deepEqual(
          { state: row.state, reason: row.rejectReason, sha256: row.sha256 },
          { state, reason, sha256: sha256(bytes) },
          fixture,
        )
      }
    })

    test('an asset whose object has not arrived stays awaited', async () => {
      const t = use()
      const { asset } = await oneAwaited(t, 'png')
      await pass(t)
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
    })

    test('when the submission expires, its awaited object is deleted', async () => {
      const t = use()
      const { asset, link } = await oneAwaited(t, 'jpg')
      // Arrives unseen (no pass), then the submission expires.
      assert.equal(await putDirect(link.url, readFixture('documents/pixel.jpg'), link.content_type), 200)
      t.clock.advance(49 * 3600_000)
      await pass(t)
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload', 'never recorded')
      assert.equal(await store(t).head(awaitedUploadKey(asset.id)), null)
    })
  },
  { ...s3.env, UPLOAD_MAX_BYTES: '64kb' },
)
