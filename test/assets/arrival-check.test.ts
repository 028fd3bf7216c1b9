import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import net from 'node:net'
import { after, test } from 'node:test'
import { and, eq, sql } from 'drizzle-orm'
import { assets, blobDeletions } from '../../src/db/schema.js'
import { ARRIVAL_CHECK_BUDGET_MS, awaitedUploadKey } from '../../src/modules/assets/index.js'
import type { DirectUploadStore } from '../../src/storage/blob-store.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { readFixture } from '../support/asset-factory.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, parseRedirect, STATUS_BULK, statusPath, V2_BATCH } from '../support/intake-helpers.js'
import { startS3Server } from '../support/s3-server.js'
import { openLink, Outbox, signedInBrowser } from '../holder/auth/support.js'

const PDF = readFixture('documents/tiny.pdf')
const PNG = readFixture('documents/pixel.png')
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const s3 = await startS3Server()
after(() => s3.close())

interface Upload {
  asset_id: string
  url: string
  content_type: string
}

/** A v2 batch sample sent by a new partner: its id, the token, the upload links and the holder link. */
async function batch(t: TestApp) {
  const { token } = await makePartnerWithToken(t)
  const { id, body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  const uploads = created.body.asset_uploads as Upload[]
  const upload = (suffix: string) => uploads.find((u) => u.asset_id === `${id}-${suffix}`)!
  return { id, token, upload, redirect: created.body.redirect_uri as string }
}

/** PUTs straight to the bucket through the presigned URL, as `curl -X PUT --data-binary` does. */
async function putDirect(upload: Upload, bytes: Buffer): Promise<void> {
  const response = await fetch(upload.url, {
    method: 'PUT',
    headers: { 'content-type': upload.content_type },
    body: new Uint8Array(bytes),
  })
  await response.arrayBuffer()
  assert.equal(response.status, 200)
}

type StatusAsset = { asset_id: string; state: string; reason: string | null; sha256: string | null }
const assetsOf = (status: { items: Array<{ assets: StatusAsset[] }> }) => status.items.flatMap((i) => i.assets)
const stateOf = (status: { items: Array<{ assets: StatusAsset[] }> }, assetId: string) =>
  assetsOf(status).find((a) => a.asset_id === assetId)!

async function assetIdOf(t: TestApp, submissionId: string, partnerAssetId: string): Promise<string> {
  const [row] = await t.deps.db
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.submissionId, submissionId), eq(assets.partnerAssetId, partnerAssetId)))
  return row!.id
}

describeEachBackend(
  'the status API and the holder review check arrivals (S3, no completion job running)',
  (use) => {
    test('a PDF PUT to the presigned URL is `received` in the status at once (GET and bulk POST)', async () => {
      const t = use()
      const { id, token, upload } = await batch(t)
      const pdf = upload('micro-1-asset')
      const before = await t.request('GET', statusPath(id), { token })
      assert.equal(stateOf(before.body, pdf.asset_id).state, 'awaiting_upload', 'nothing arrived yet')
      await putDirect(pdf, PDF)
      const status = await t.request('GET', statusPath(id), { token })
      assert.equal(status.status, 200, status.text)
      assert.deepEqual(
        { state: stateOf(status.body, pdf.asset_id).state, sha256: stateOf(status.body, pdf.asset_id).sha256 },
        { state: 'received', sha256: sha256(PDF) },
      )
      assert.equal(stateOf(status.body, `${id}-edu-1-asset`).state, 'awaiting_upload', 'not PUT: still awaited')

      const other = upload('edu-1-asset')
      await putDirect(other, PDF)
      const bulk = await t.request('POST', STATUS_BULK, { json: { ids: [id] }, token })
      assert.equal(bulk.status, 200, bulk.text)
      assert.equal(stateOf(bulk.body.credentials[0], other.asset_id).state, 'received')
    })

    test('bytes that are not the declared type: the status says `rejected` at once, and the object is gone', async () => {
      const t = use()
      const { id, token, upload } = await batch(t)
      const pdf = upload('micro-1-asset')
      await putDirect(pdf, PNG)
      const status = await t.request('GET', statusPath(id), { token })
      const seen = stateOf(status.body, pdf.asset_id)
      assert.deepEqual({ state: seen.state, reason: seen.reason }, { state: 'rejected', reason: 'type_mismatch' })
      const assetId = await assetIdOf(t, status.body.request_id, pdf.asset_id)
      assert.equal(await (t.deps.blobs as DirectUploadStore).head(awaitedUploadKey(assetId)), null)
      const [pending] = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(blobDeletions)
      assert.equal(pending!.n, 0, 'its delete is done, not left to the retry job')
    })

    test('the holder review shows a document PUT a moment ago, and serves it from the bucket', async () => {
      const t = use()
      const outbox = new Outbox(t)
      const { browser } = await signedInBrowser(t, outbox)
      const { upload, redirect } = await batch(t)
      const link = parseRedirect(redirect)
      assert.equal((await openLink(browser, link)).location, '/holder/review')
      const pdf = upload('micro-1-asset')
      await putDirect(pdf, PDF)
      const review = await browser.get('/holder/review')
      assert.equal(review.status, 200)
      const assetId = await assetIdOf(t, link.params.content!, pdf.asset_id)
      assert.ok(review.text.includes(`/holder/documents/${assetId}`), 'the document is viewable on the review')
      const document = await browser.get(`/holder/documents/${assetId}`)
      assert.equal(document.status, 200)
      assert.equal(document.headers.get('content-type'), 'application/pdf')
    })

    test('a store that does not answer delays the status by the time budget at most, then says what the database says', async () => {
      const t = use()
      const { id, token, upload } = await batch(t)
      const pdf = upload('micro-1-asset')
      await putDirect(pdf, PDF)
      // The bucket's port now takes connections and never answers.
      await s3.stop()
      const sockets = new Set<net.Socket>()
      const silent = net.createServer((socket) => sockets.add(socket))
      await new Promise<void>((resolve) => silent.listen(Number(new URL(s3.endpoint).port), '127.0.0.1', resolve))
      try {
        const started = performance.now()
        const status = await t.request('GET', statusPath(id), { token })
        const elapsed = performance.now() - started
        assert.equal(status.status, 200)
        assert.equal(stateOf(status.body, pdf.asset_id).state, 'awaiting_upload')
        assert.ok(elapsed >= ARRIVAL_CHECK_BUDGET_MS * 0.9, `waited ${elapsed} ms`)
        assert.ok(elapsed < ARRIVAL_CHECK_BUDGET_MS + 1500, `answered after ${elapsed} ms`)
        assert.ok(sockets.size > 0, 'it did ask the store')
      } finally {
        for (const socket of sockets) socket.destroy()
        await new Promise<void>((resolve) => silent.close(() => resolve()))
        await s3.start()
      }
      // Answering again: a next look records it (the check cut short may finish first, meanwhile).
      let state = ''
      for (let look = 0; look < 5 && state !== 'received'; look += 1) {
        if (look > 0) await new Promise((resolve) => setTimeout(resolve, 200))
        state = stateOf((await t.request('GET', statusPath(id), { token })).body, pdf.asset_id).state
      }
      assert.equal(state, 'received')
    })
  },
  s3.env,
)
