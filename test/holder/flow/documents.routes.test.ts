import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { assets, submissions } from '../../../src/db/schema.js'
import type { TestApp } from '../../support/app.js'
import { describeEachBlobStore, uploadDocument } from '../../support/blob-stores.js'
import { makePartnerWithToken } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import { beforeEachHolderTest, openLink, type Outbox, signedInBrowser, type Browser } from '../auth/support.js'

const PDF = fs.readFileSync(new URL('../../fixtures/documents/tiny.pdf', import.meta.url))

/** The sample batch with its first document uploaded, opened and reviewed by `browser`'s holder: the stored asset. */
async function reviewedDocument(t: TestApp, browser: Browser) {
  const { token } = await makePartnerWithToken(t)
  const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
  assert.equal(created.status, 201, created.text)
  const upload = created.body.asset_uploads[0]
  await uploadDocument(t, upload, PDF)
  const link = parseRedirect(created.body.redirect_uri)
  const opened = await openLink(browser, link)
  assert.equal(opened.location, '/holder/review')
  assert.equal((await browser.get('/holder/review')).status, 200)
  const [asset] = await t.deps.db
    .select()
    .from(assets)
    .where(and(eq(assets.submissionId, link.params.content!), eq(assets.partnerAssetId, upload.asset_id)))
  return asset!
}

// On each blob store: with S3 the document the holder sees is streamed from the bucket.
describeEachBlobStore('holder documents', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('the holder’s own document: inline, sandboxed, never framed, never sniffed', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const asset = await reviewedDocument(t, browser)
    const response = await browser.get(`/holder/documents/${asset.id}`)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/pdf')
    assert.match(response.headers.get('content-disposition') ?? '', /^inline; filename="[\w.-]+\.pdf"$/)
    assert.match(response.headers.get('content-security-policy') ?? '', /\bsandbox\b.*frame-ancestors 'none'/)
    assert.equal(response.headers.get('x-frame-options'), 'DENY')
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff')
    assert.equal(response.headers.get('cache-control'), 'private, no-store')
  })

  test('the download: an attachment with the uploaded bytes, whole', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const asset = await reviewedDocument(t, browser)
    const response = await fetch(new URL(`/holder/documents/${asset.id}?download=1`, t.baseUrl), {
      headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/pdf')
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="[\w.-]+\.pdf"$/)
    assert.ok(Buffer.from(await response.arrayBuffer()).equals(PDF))
  })

  test('another holder, or the holder once the submission has expired (before the expiry job ran) → 404', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const asset = await reviewedDocument(t, browser)
    const { browser: stranger } = await signedInBrowser(t, outbox)
    assert.equal((await stranger.get(`/holder/documents/${asset.id}`)).status, 404)

    await t.deps.db
      .update(submissions)
      .set({ expiresAt: new Date(t.clock.now().getTime() + 60_000) })
      .where(eq(submissions.id, asset.submissionId))
    assert.equal((await browser.get(`/holder/documents/${asset.id}`)).status, 200)
    t.clock.advance(61_000)
    try {
      assert.equal((await browser.get(`/holder/documents/${asset.id}`)).status, 404)
    } finally {
      t.clock.set(new Date())
    }
  })
})
