import assert from 'node:assert/strict'
import { test } from 'node:test'
import { and, eq } from 'drizzle-orm'
import { assets, submissionItems, webhookEvents } from '../../src/db/schema.js'
import { declineByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import type { TestApp } from '../support/app.js'
import { DOCUMENT_FIXTURES, readFixture } from '../support/asset-factory.js'
import { describeEachBlobStore, NOT_ABOUT_THE_STORE, storedKeysOf, uploadDocument } from '../support/blob-stores.js'
import { makePartnerWithToken, tokenFor } from '../support/factories.js'
import { parseRedirect, statusPath } from '../support/intake-helpers.js'
import { assertProblem } from '../support/security-suite.js'
import { beforeEachHolderTest, openLink, signedInBrowser, type Outbox } from '../holder/auth/support.js'
import { acceptedBatch, eventTypesOf, newHolder, sentBatch, withdrawPath } from './support.js'

/**
 * DELETE /api/partner/v2/add/requests/{id}: the partner withdraws a submission the holder has not
 * decided. Over real HTTP, on both databases: the answer is the status, the data and the stored
 * documents are gone (from the bucket too, with S3), the event is recorded once, the holder's link
 * says so; after acceptance 409.
 */
describeEachBlobStore('withdrawal by the issuer', (use, store) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('an undecided submission: canceled now, data and documents deleted, one event; again: the same answer', async () => {
    const sent = await sentBatch(t)
    const pdf = sent.uploads.find((u) => u.content_type === 'application/pdf')!
    await uploadDocument(t, pdf, readFixture(DOCUMENT_FIXTURES.pdf))
    assert.ok((await storedKeysOf(t, sent.submission.id)).length > 0, 'a document is stored before')

    const response = await t.request('DELETE', withdrawPath(sent.id), { token: sent.token })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.id, sent.id)
    assert.equal(response.body.status, 'canceled')
    assert.equal(response.body.finalized_at, t.clock.now().toISOString())
    assert.ok(response.body.items.length > 1 && response.body.items.every((i: any) => i.status === 'canceled'))
    const status = await t.request('GET', statusPath(sent.id), { token: sent.token })
    assert.deepEqual(status.body, response.body, 'the answer is what the status API says')

    const items = await t.deps.db
      .select()
      .from(submissionItems)
      .where(eq(submissionItems.submissionId, sent.submission.id))
    assert.ok(items.every((i) => i.fields === null && i.partnerChain === null && i.displayTitle === null))
    const rows = await t.deps.db.select().from(assets).where(eq(assets.submissionId, sent.submission.id))
    assert.ok(rows.every((a) => a.blobKey === null && a.sourceUrl === null))
    assert.deepEqual(await storedKeysOf(t, sent.submission.id), [], 'no stored document is left')
    assert.deepEqual(await eventTypesOf(t, sent.submission.id), ['asset.received', 'submission.withdrawn'])
    const [event] = await t.deps.db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.submissionId, sent.submission.id), eq(webhookEvents.type, 'submission.withdrawn')))
    assert.deepEqual((event!.payload as any).data, { id: sent.id, request_id: sent.submission.id, status: 'canceled' })

    t.clock.advance(60_000)
    // Labelled JSON with no body, as many HTTP clients send every request: no body, not a malformed one.
    const again = await t.request('DELETE', `${withdrawPath(sent.id)}.json`, {
      token: sent.token,
      headers: { 'content-type': 'application/json' },
    })
    assert.equal(again.status, 200, again.text)
    assert.deepEqual(again.body, response.body, 'idempotent: the first withdrawal’s time, nothing new')
    assert.deepEqual(await eventTypesOf(t, sent.submission.id), ['asset.received', 'submission.withdrawn'])
  })

  test('after the holder accepted: 409 saying to revoke; the submission is untouched', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const accepted = await acceptedBatch(t)
    const response = await t.request('DELETE', withdrawPath(accepted.id), { token: accepted.token })
    assertProblem(response, 409, 'conflict')
    assert.match(response.body.detail, /revoke/i)
    const status = await t.request('GET', statusPath(accepted.id), { token: accepted.token })
    assert.equal(status.body.status, 'verified')
  })

  test('declined or expired already: left as it is, answered with its status, no event', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const declined = await sentBatch(t)
    const holderId = await newHolder(t)
    await bindHolder(t.deps, { submissionId: declined.submission.id, holderId })
    await declineByHolder(t.deps, { submissionId: declined.submission.id, holderId })
    const before = await t.request('GET', statusPath(declined.id), { token: declined.token })
    const response = await t.request('DELETE', withdrawPath(declined.id), { token: declined.token })
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(response.body, before.body)
    assert.deepEqual(await eventTypesOf(t, declined.submission.id), ['submission.opened', 'submission.canceled'])

    const expiring = await sentBatch(t)
    const start = t.clock.now()
    try {
      t.clock.advance(t.config.submissionTtlMs + 1000)
      const token = await tokenFor(t, expiring.client!)
      const late = await t.request('DELETE', withdrawPath(expiring.id), { token })
      assert.equal(late.status, 200, late.text)
      assert.equal(late.body.status, 'canceled')
      assert.equal(late.body.finalized_at, expiring.submission.expiresAt.toISOString(), 'expired, not withdrawn')
      assert.deepEqual(await eventTypesOf(t, expiring.submission.id), [])
    } finally {
      t.clock.set(start)
    }
  })

  test('the scopes of every credential type in it; another partner’s id is a 404 and changes nothing', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const sent = await sentBatch(t)
    const narrow = await makePartnerWithToken(t, { scopes: ['write.education'] })
    assertProblem(await t.request('DELETE', withdrawPath(sent.id), { token: narrow.token }), 404, 'not_found')
    const stranger = await makePartnerWithToken(t)
    assertProblem(await t.request('DELETE', withdrawPath(sent.id), { token: stranger.token }), 404, 'not_found')
    assertProblem(await t.request('DELETE', withdrawPath(`${sent.id}-edu-1`), { token: sent.token }), 404, 'not_found')
    const status = await t.request('GET', statusPath(sent.id), { token: sent.token })
    assert.equal(status.body.status, 'incomplete')

    // The partner's own batch, with a token lacking one of its types' scopes: 403 naming it.
    const own = await makePartnerWithToken(t)
    const mine = await sentBatch(t, own.token)
    const scoped = await t.request('POST', '/api/partner/v1/oauth/token.json', {
      json: {
        grant_type: 'client_credentials',
        client_id: own.client.client_id,
        client_secret: own.client.client_secret,
        scope: 'write.education',
      },
    })
    const denied = await t.request('DELETE', withdrawPath(mine.id), { token: scoped.body.access_token })
    assertProblem(denied, 403, 'insufficient_scope')
    assert.ok(denied.body.missing_scopes.includes('write.right_to_work'))
    assert.ok(!denied.body.missing_scopes.includes('write.education'))
  })

  test('the holder’s link then says it was withdrawn by the issuer, in their language', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const sent = await sentBatch(t)
    const link = parseRedirect(sent.redirectUri)
    const { browser } = await signedInBrowser(t, outbox)
    assert.equal((await openLink(browser, link)).location, '/holder/review')
    assert.equal((await t.request('DELETE', withdrawPath(sent.id), { token: sent.token })).status, 200)

    const review = await browser.get('/holder/review')
    assert.equal(review.status, 410)
    assert.match(review.text, /This request was withdrawn/)
    assert.match(review.text, /withdrew this request before you decided/)
    // Opened again from the link, in Thai and Indonesian.
    for (const [language, words] of [
      ['th', /คำขอนี้ถูกถอนแล้ว/],
      ['id', /Permintaan ini telah ditarik/],
    ] as const) {
      const { browser: other } = await signedInBrowser(t, outbox, undefined, { 'accept-language': language })
      const opened = await openLink(other, link)
      assert.equal(opened.status, 410)
      assert.match(opened.text, words)
    }
  })
})
