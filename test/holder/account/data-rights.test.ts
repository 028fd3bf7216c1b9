import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import {
  assets,
  holderSessions,
  holders,
  shareLinks,
  signInCodes,
  submissionItems,
  submissions,
  webhookEvents,
} from '../../../src/db/schema.js'
import type { TestApp } from '../../support/app.js'
import { describeEachBlobStore, NOT_ABOUT_THE_STORE, storedKeysOf } from '../../support/blob-stores.js'
import {
  type Browser,
  beforeEachHolderTest,
  csrfTokenIn,
  openLink,
  type Outbox,
  signedInBrowser,
} from '../auth/support.js'
import {
  acceptedCredential,
  decide,
  holderIdOf,
  insertShareLink,
  partnerStatus,
  scanBlobStore,
  scanDatabase,
  sha256,
  submitWithPdf,
  unzip,
} from './support.js'

const ACCOUNT = '/holder/account'
const EXPORT = '/holder/account/export'
const DELETE = '/holder/account/delete'
const removePath = (itemId: string) => `/holder/account/remove/${itemId}`

/** The one item of a submission. */
async function itemOf(t: TestApp, requestId: string) {
  const [item] = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, requestId))
  assert.ok(item)
  return item
}

/** Downloads the export as the account page's form posts it. */
async function download(t: TestApp, browser: Browser) {
  const page = await browser.get(ACCOUNT)
  assert.equal(page.status, 200)
  const response = await fetch(new URL(EXPORT, t.baseUrl), {
    method: 'POST',
    headers: {
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: csrfTokenIn(page.text) }).toString(),
    redirect: 'manual',
  })
  return { response, bytes: Buffer.from(await response.arrayBuffer()) }
}

// On each blob store: with S3 the export reads the documents from the bucket, and the deletion scan reads every object of it.
describeEachBlobStore('holder data rights: export, remove one credential, delete the account', (use, store) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('download everything: one ZIP with the JSON (credentials, consents, share links, account), the documents and a README', async () => {
    const { browser, email } = await signedInBrowser(t, outbox)
    const accepted = await acceptedCredential(t, browser)
    t.clock.advance(1000) // consents are listed oldest first
    const declined = await submitWithPdf(t)
    await decide(browser, declined.link, 'decline')
    const item = await itemOf(t, accepted.requestId)
    const holderId = await holderIdOf(t, email)
    const linkId = await insertShareLink(t, holderId, [item.id], 'Application to Acme')

    const { response, bytes } = await download(t, browser)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/zip')
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /^attachment; filename="credport-export-\d{4}-\d{2}-\d{2}\.zip"$/,
    )
    assert.equal(response.headers.get('cache-control'), 'no-store')
    // Streamed as it is built: no Content-Length known in advance.
    assert.equal(response.headers.get('content-length'), null)
    assert.equal(response.headers.get('transfer-encoding'), 'chunked')

    const entries = await unzip(bytes)
    const [asset] = await t.deps.db.select().from(assets).where(eq(assets.itemId, item.id))
    const documentPath = `documents/${item.id}/${asset!.id}.pdf`
    assert.deepEqual([...entries.keys()].sort(), ['README.txt', 'credport-export.json', documentPath].sort())
    assert.match(entries.get('README.txt')!.toString(), /credport-export\.json/)
    const document = entries.get(documentPath)!
    assert.ok(document.equals(accepted.pdf.bytes), 'the document, byte for byte')

    const json = JSON.parse(entries.get('credport-export.json')!.toString())
    assert.equal(json.account.email, email)
    assert.ok(json.account.created_at && json.account.last_signed_in_at)
    assert.equal(json.credentials.length, 1)
    const [credential] = json.credentials
    assert.equal(credential.id, item.id)
    assert.equal(credential.credential_type, 'microcredential')
    assert.equal(credential.fields.full_name, accepted.values.fullName)
    assert.equal(credential.fields.microcredential_name, accepted.values.course)
    assert.equal(credential.issuer_name, accepted.values.issuer)
    assert.ok(credential.submitted_by)
    assert.deepEqual(credential.partner_chain, [])
    assert.ok(Date.parse(credential.accepted_at))
    assert.equal(credential.revoked, null)
    assert.equal(credential.documents[0].file, documentPath)
    assert.equal(credential.documents[0].sha256, sha256(document))
    assert.equal(credential.documents[0].bytes, document.length)

    assert.deepEqual(
      json.consents.map((c: { request_id: string; items: Array<{ decision: string }> }) => [
        c.request_id,
        c.items.map((i) => i.decision),
      ]),
      [
        [accepted.requestId, ['accepted']],
        [declined.requestId, ['declined']],
      ],
    )
    assert.ok(json.consents.every((c: { decided_at: string }) => Date.parse(c.decided_at)))
    assert.deepEqual(json.share_links, [
      {
        id: linkId,
        label: 'Application to Acme',
        created_at: t.clock.now().toISOString(),
        expires_at: new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString(),
        revoked_at: null,
        include_documents: true,
        open_count: 3,
        last_opened_at: t.clock.now().toISOString(),
        item_ids: [item.id],
      },
    ])
  })

  test('remove one credential: a confirmation, then its data and document are gone, the wallet no longer shows it, the partner still sees it accepted', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const kept = await acceptedCredential(t, browser)
    const removed = await acceptedCredential(t, browser)
    const item = await itemOf(t, removed.requestId)
    const blobs = await storedKeysOf(t, removed.requestId)
    assert.equal(blobs.length, 1)

    const confirm = await browser.get(removePath(item.id))
    assert.equal(confirm.status, 200)
    assert.match(confirm.text, /Remove this credential\?/)
    assert.match(confirm.text, new RegExp(`action="/holder/account/remove/${item.id}"`))
    const done = await browser.post(removePath(item.id), { _csrf: csrfTokenIn(confirm.text) })
    assert.equal(done.status, 303)
    assert.equal(done.location, '/holder/account?notice=removed')
    assert.match((await browser.get(done.location!)).text, /The credential was removed from your wallet/)

    const after = await itemOf(t, removed.requestId)
    assert.equal(after.fields, null)
    assert.equal(after.partnerChain, null)
    assert.equal(after.displayTitle, null)
    assert.ok(after.removedAt)
    const [asset] = await t.deps.db.select().from(assets).where(eq(assets.itemId, item.id))
    assert.equal(asset!.blobKey, null)
    assert.deepEqual(await storedKeysOf(t, removed.requestId), [])
    assert.equal((await storedKeysOf(t, kept.requestId)).length, 1, 'the other credential keeps its document')

    const wallet = await browser.get('/holder/wallet')
    assert.doesNotMatch(wallet.text, new RegExp(removed.values.course))
    assert.match(wallet.text, new RegExp(kept.values.course))
    assert.equal((await browser.get(`/holder/wallet/${item.id}`)).status, 404)
    assert.equal((await browser.get(removePath(item.id))).status, 404)

    const status = await partnerStatus(t, removed)
    assert.equal(status.status, 'verified')
    assert.deepEqual(
      status.items.map((i) => i.status),
      ['accepted'],
    )
    // Removing again: as unknown.
    const again = await browser.post(removePath(item.id), { _csrf: csrfTokenIn(wallet.text) })
    assert.equal(again.status, 404)
  })

  test('the archive is named by the date where the holder is (their time zone when their browser told it, else UTC)', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const nameOf = async () =>
      /filename="credport-export-(\d{4}-\d{2}-\d{2})\.zip"/.exec(
        (await download(t, browser)).response.headers.get('content-disposition') ?? '',
      )?.[1]
    const now = t.clock.now().getTime()
    const HOUR = 3_600_000
    // Kiritimati is 14 hours ahead of UTC, Niue 11 hours behind, all year: one of them is on another day.
    browser.cookies.set('credport_tz', 'Pacific/Kiritimati')
    assert.equal(await nameOf(), new Date(now + 14 * HOUR).toISOString().slice(0, 10))
    browser.cookies.set('credport_tz', 'Pacific/Niue')
    assert.equal(await nameOf(), new Date(now - 11 * HOUR).toISOString().slice(0, 10))
    browser.cookies.set('credport_tz', 'Not/A_Zone')
    assert.equal(await nameOf(), new Date(now).toISOString().slice(0, 10))
  })

  test('every action is refused without the CSRF token, and nothing changes', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const { browser, email } = await signedInBrowser(t, outbox)
    const accepted = await acceptedCredential(t, browser)
    const item = await itemOf(t, accepted.requestId)
    for (const action of [EXPORT, removePath(item.id), DELETE]) {
      const refused = await browser.post(action, { confirm: 'delete-my-account' })
      assert.equal(refused.status, 403, action)
      assert.doesNotMatch(refused.headers.get('content-type') ?? '', /zip/)
      const forged = await browser.post(action, { _csrf: 'forged', confirm: 'delete-my-account' })
      assert.equal(forged.status, 403, action)
    }
    assert.ok((await itemOf(t, accepted.requestId)).fields)
    assert.equal((await storedKeysOf(t, accepted.requestId)).length, 1)
    assert.ok(await holderIdOf(t, email))
  })

  test('another holder cannot see, remove or export someone else’s credential', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const owner = await signedInBrowser(t, outbox)
    const accepted = await acceptedCredential(t, owner.browser)
    const item = await itemOf(t, accepted.requestId)
    const other = await signedInBrowser(t, outbox)
    assert.equal((await other.browser.get(removePath(item.id))).status, 404)
    const page = await other.browser.get(ACCOUNT)
    const refused = await other.browser.post(removePath(item.id), { _csrf: csrfTokenIn(page.text) })
    assert.equal(refused.status, 404)
    assert.ok((await itemOf(t, accepted.requestId)).fields)
    const { bytes } = await download(t, other.browser)
    const json = JSON.parse((await unzip(bytes)).get('credport-export.json')!.toString())
    assert.equal(json.account.email, other.email)
    assert.deepEqual(json.credentials, [])
    assert.doesNotMatch(JSON.stringify(json), new RegExp(accepted.values.fullName))
  })

  test('delete my account: confirmed, in one go; signed out; then no trace of the holder in any table or in the blob store', async () => {
    const first = await signedInBrowser(t, outbox)
    const { email } = first
    const accepted = await acceptedCredential(t, first.browser)
    // An ended session of the holder, and its sign-in codes (they keep the address).
    const signOutPage = await first.browser.get('/holder/wallet')
    assert.equal((await first.browser.post('/holder/sign-out', { _csrf: csrfTokenIn(signOutPage.text) })).status, 303)
    t.clock.advance(61_000) // past the resend cool-down of the address
    const { browser } = await signedInBrowser(t, outbox, email)
    const pending = await submitWithPdf(t)
    assert.equal((await openLink(browser, pending.link)).location, '/holder/review')
    assert.equal((await browser.get('/holder/review')).status, 200, 'the review binds it to the holder, undecided')
    const holderId = await holderIdOf(t, email)
    const item = await itemOf(t, accepted.requestId)
    await insertShareLink(t, holderId, [item.id], `Application for ${accepted.values.fullName}`)
    // Someone else, whose data must stay.
    const bystander = await signedInBrowser(t, outbox)
    const theirs = await acceptedCredential(t, bystander.browser)

    const needles = [
      email,
      accepted.values.fullName,
      accepted.values.course,
      accepted.values.issuer,
      pending.values.fullName,
      pending.values.course,
      accepted.pdf.marker,
      pending.pdf.marker,
    ]
    // The scan finds them before: it does look where they are.
    const before = await scanDatabase(t, needles)
    for (const needle of [email, accepted.values.fullName, pending.values.course])
      assert.ok(
        before.some((hit) => hit.endsWith(`: ${needle}`)),
        `found before: ${needle}`,
      )
    assert.ok((await scanBlobStore(t, [accepted.pdf.bytes])).length > 0)

    const confirm = await browser.get(DELETE)
    assert.equal(confirm.status, 200)
    assert.match(confirm.text, /Delete your account\?/)
    const unticked = await browser.post(DELETE, { _csrf: csrfTokenIn(confirm.text) })
    assert.equal(unticked.status, 400)
    assert.match(unticked.text, /Tick the box/)
    assert.ok(await holderIdOf(t, email))

    const deleted = await browser.post(DELETE, { _csrf: csrfTokenIn(confirm.text), confirm: 'delete-my-account' })
    assert.equal(deleted.status, 303)
    assert.equal(deleted.location, '/holder/account/deleted?lang=en')
    assert.ok(deleted.setCookies.some((line) => /^credport_session=;/.test(line) && /Max-Age=0/i.test(line)))
    const landed = await browser.get(deleted.location!)
    assert.equal(landed.status, 200)
    assert.match(landed.text, /Your account is deleted/)
    assert.equal((await browser.get('/holder/wallet')).location, '/holder/sign-in')

    // Partners keep ids, status and times: accepted stays accepted, the pending one is declined and its partner told.
    const acceptedStatus = await partnerStatus(t, accepted)
    assert.equal(acceptedStatus.status, 'verified')
    assert.deepEqual(
      acceptedStatus.items.map((i) => i.status),
      ['accepted'],
    )
    assert.equal((await partnerStatus(t, pending)).status, 'canceled')
    const events = await t.deps.db.select().from(webhookEvents).where(eq(webhookEvents.submissionId, pending.requestId))
    assert.ok(events.some((e) => e.type === 'submission.canceled'))
    for (const requestId of [accepted.requestId, pending.requestId]) {
      const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, requestId))
      assert.equal(row!.holderId, null)
      assert.ok(row!.dataDeletedAt)
    }
    assert.equal((await t.deps.db.select().from(holders).where(eq(holders.email, email))).length, 0)
    assert.equal((await t.deps.db.select().from(signInCodes).where(eq(signInCodes.email, email))).length, 0)
    assert.equal((await t.deps.db.select().from(shareLinks).where(eq(shareLinks.holderId, holderId))).length, 0)
    assert.equal((await t.deps.db.select().from(holderSessions).where(eq(holderSessions.holderId, holderId))).length, 0)

    assert.deepEqual(await scanDatabase(t, needles), [], 'no personal value of the holder left in the database')
    assert.deepEqual(
      await scanBlobStore(t, [accepted.pdf.bytes, pending.pdf.bytes, accepted.pdf.marker, pending.pdf.marker]),
      [],
      'none of their documents left in the blob store',
    )
    // The bystander keeps everything.
    assert.ok((await itemOf(t, theirs.requestId)).fields)
    assert.equal((await storedKeysOf(t, theirs.requestId)).length, 1)
    assert.equal((await first.browser.get('/holder/wallet')).location, '/holder/sign-in')
  })

  test('after an account is deleted, its links bind to no one else: another holder is told the link is in use, and their wallet stays empty', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const accepted = await acceptedCredential(t, browser)
    const pending = await submitWithPdf(t)
    await openLink(browser, pending.link)
    assert.equal((await browser.get('/holder/review')).status, 200, 'bound, undecided')
    const confirm = await browser.get(DELETE)
    const deleted = await browser.post(DELETE, { _csrf: csrfTokenIn(confirm.text), confirm: 'delete-my-account' })
    assert.equal(deleted.status, 303)

    // Both submissions are decided now, with no holder and no data: nothing for a newcomer to take.
    const other = await signedInBrowser(t, outbox)
    for (const link of [accepted.link, pending.link]) {
      assert.equal((await openLink(other.browser, link)).location, '/holder/review')
      const review = await other.browser.get('/holder/review')
      assert.equal(review.status, 403)
      assert.match(review.text, /This link is already in use/)
    }
    for (const requestId of [accepted.requestId, pending.requestId]) {
      const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, requestId))
      assert.equal(row!.holderId, null)
    }
    const wallet = await other.browser.get('/holder/wallet')
    assert.equal(wallet.status, 200)
    assert.match(wallet.text, /Your wallet is empty/)
  })
})
