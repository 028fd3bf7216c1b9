import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { desc, eq } from 'drizzle-orm'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { shareLinkItems, shareLinks, submissionItems, submissions } from '../../src/db/schema.js'
import { removeCredentialByHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../support/intake-helpers.js'
import { SHARE_OPENS_PER_MINUTE } from '../../src/modules/sharing/index.js'
import {
  type Browser,
  beforeEachHolderTest,
  csrfTokenIn,
  openLink,
  type Outbox,
  type PageResponse,
  signedInBrowser,
} from '../holder/auth/support.js'

const PDF = fs.readFileSync(new URL('../fixtures/documents/tiny.pdf', import.meta.url))
const DAY = 24 * 60 * 60 * 1000

/** A new partner's sample batch (ten credentials), its first document uploaded, accepted by `browser`'s holder. */
async function acceptedBatch(t: TestApp, browser: Browser) {
  const { token } = await makePartnerWithToken(t)
  const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
  assert.equal(created.status, 201, created.text)
  const upload = created.body.asset_uploads[0]
  const put = await fetch(upload.url.replace('http://credport.test', t.baseUrl), {
    method: 'PUT',
    headers: { 'content-type': upload.content_type },
    body: PDF,
  })
  assert.equal(put.status, 201)
  const link = parseRedirect(created.body.redirect_uri)
  assert.equal((await openLink(browser, link)).location, '/holder/review')
  const submission = link.params.content!
  const confirm = await browser.submit('/holder/review', '/holder/review/decision', { submission, decision: 'accept' })
  const done = await browser.request('POST', '/holder/review/decision/confirm', {
    form: { _csrf: csrfTokenIn(confirm.text), submission, decision: 'accept' },
  })
  assert.equal(done.location, '/holder/done')
  return { token }
}

/** The credential ids the share form offers, in its order. */
const choicesOf = (html: string) => [...html.matchAll(/name="item" value="([^"]+)"/g)].map((m) => m[1]!)

/** Posts the share form (repeated `item` fields) as the browser; the answer as a page. */
async function postShare(
  t: TestApp,
  browser: Browser,
  fields: { label: string; expiry: string; documents?: boolean; items: string[] },
  formPage?: string,
): Promise<PageResponse> {
  const form = formPage ?? (await browser.get('/holder/share-links/new')).text
  const proposed = /name="link_token" value="([^"]+)"/.exec(form)?.[1]
  const body = new URLSearchParams([
    ['_csrf', csrfTokenIn(form)],
    ...(proposed ? [['link_token', proposed]] : []),
    ['label', fields.label],
    ['expiry', fields.expiry],
    ...(fields.documents ? [['documents', '1']] : []),
    ...fields.items.map((id) => ['item', id]),
  ])
  const response = await fetch(new URL('/holder/share-links', t.baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    },
    body,
    redirect: 'manual',
  })
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
    location: response.headers.get('location'),
    setCookies: [],
  }
}

/** Makes a link of the first `count` credentials of the wallet; its token and the page that showed it. */
async function makeLink(
  t: TestApp,
  browser: Browser,
  options: { count?: number; expiry?: string; documents?: boolean; label?: string } = {},
) {
  const choices = choicesOf((await browser.get('/holder/share-links/new')).text)
  const created = await postShare(t, browser, {
    label: options.label ?? 'Application to Acme',
    expiry: options.expiry ?? '30d',
    documents: options.documents,
    items: choices.slice(0, options.count ?? 3),
  })
  assert.equal(created.status, 201, created.text.slice(0, 2000))
  const url = /id="share-url" class="share-url" value="([^"]+)"/.exec(created.text)?.[1]
  assert.ok(url, 'the page shows the link')
  const token = /\/s\/([A-Za-z0-9_-]+)$/.exec(url)![1]!
  return { token, url, page: created.text }
}

/** A verifier's request: no cookies at all. */
const anonymous = (t: TestApp, path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, t.baseUrl), { headers, redirect: 'manual' })

const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? ''

describeEachBackend('share links', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('the same form sent twice (a reload of the page that showed the link) shows that link again, not a second one', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const formPage = (await browser.get('/holder/share-links/new')).text
    const items = choicesOf(formPage).slice(0, 2)
    const fields = { label: 'For the recruiter', expiry: '7d', items }
    const first = await postShare(t, browser, fields, formPage)
    const again = await postShare(t, browser, fields, formPage)
    assert.equal(first.status, 201)
    assert.equal(again.status, 200)
    const urlOf = (html: string) => /id="share-url" class="share-url" value="([^"]+)"/.exec(html)?.[1]
    assert.ok(urlOf(first.text))
    assert.equal(urlOf(again.text), urlOf(first.text))
    assert.equal((await t.deps.db.query.shareLinks.findMany()).length, 1)
    // The form changed and sent again (the browser's Back, another label): a link of its own.
    const changed = await postShare(t, browser, { ...fields, label: 'For the agency' }, formPage)
    assert.equal(changed.status, 201)
    assert.notEqual(urlOf(changed.text), urlOf(first.text))
    assert.equal((await t.deps.db.query.shareLinks.findMany()).length, 2)
    // Another holder who got hold of the form's token makes a link of their own, never sees this one.
    const other = await signedInBrowser(t, outbox)
    await acceptedBatch(t, other.browser)
    const theirs = choicesOf((await other.browser.get('/holder/share-links/new')).text).slice(0, 1)
    const stolen = await postShare(
      t,
      other.browser,
      { ...fields, items: theirs },
      formPage.replace(csrfTokenIn(formPage), csrfTokenIn((await other.browser.get('/holder/share-links/new')).text)),
    )
    assert.equal(stolen.status, 201)
    assert.notEqual(urlOf(stolen.text), urlOf(first.text))
  })

  test('made from the wallet: the link shown once with its QR code, a 43-character token, only its hash stored', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const wallet = await browser.get('/holder/wallet')
    assert.match(wallet.text, /href="\/holder\/share-links\/new"/)
    assert.match(wallet.text, /href="\/holder\/share-links"/)
    const { token, url, page } = await makeLink(t, browser)
    assert.equal(token.length, 43)
    assert.equal(url, `${t.config.publicUrl}/s/${token}`)
    assert.match(page, /<div class="qr" role="img" aria-label="QR code of the link"><svg /)
    assert.match(page, /the only time the link is shown/)
    const stored = await t.deps.db.query.shareLinks.findMany()
    assert.ok(stored.every((row) => row.tokenHash !== token && /^[0-9a-f]{64}$/.test(row.tokenHash)))

    const list = await browser.get('/holder/share-links')
    assert.match(list.text, /<strong class="share-label">Application to Acme<\/strong>/)
    assert.match(list.text, /Active/)
    assert.match(list.text, /<dd>3<\/dd>/)
    assert.match(list.text, /<dt>Opened<\/dt><dd>Not yet<\/dd>/)
    // A way back on a phone, where the header has no wallet link.
    assert.match(list.text, /<nav class="item-nav"><a href="\/holder\/wallet">/)
    assert.match(
      (await browser.get('/holder/share-links/new')).text,
      /<nav class="item-nav"><a href="\/holder\/wallet">/,
    )
    // Its end to the minute, with the zone named, as the verifier's page writes it (there in UTC).
    const verifierPage = await (await anonymous(t, `/s/${token}`)).text()
    const until = /It works until (\d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC)\./.exec(page)?.[1]
    assert.ok(until, page)
    assert.ok(verifierPage.includes(until), `the verifier's page says ${until} too`)
  })

  test('the form refuses a missing or long label, no credential, an unknown expiry, another holder’s credential', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const { browser: other } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, other)
    const theirs = choicesOf((await other.get('/holder/share-links/new')).text)[0]!
    const before = (await t.deps.db.query.shareLinks.findMany()).length
    const empty = await postShare(t, browser, { label: ' ', expiry: '2d', items: [] })
    assert.equal(empty.status, 400)
    assert.match(empty.text, /Give the link a label\./)
    assert.match(empty.text, /Choose how long the link works\./)
    assert.match(empty.text, /Select at least one credential\./)
    // Each problem links to its field from the summary and is written beside it, named by it.
    assert.match(empty.text, /<title>Error: Create a share link/)
    assert.match(empty.text, /<a href="#label">Give the link a label\.<\/a>/)
    assert.match(empty.text, /<a href="#expiry-7d">Choose how long the link works\.<\/a>/)
    assert.match(empty.text, /<a href="#item-[0-9a-f-]{36}">Select at least one credential\.<\/a>/)
    assert.match(empty.text, /<p class="field-error" id="label-error">Give the link a label\.<\/p>/)
    assert.match(
      empty.text,
      /<input type="text" id="label"[^>]*aria-describedby="label-hint label-error" aria-invalid="true"/,
    )
    assert.match(empty.text, /<fieldset aria-describedby="items-hint items-error">/)
    assert.match(empty.text, /<fieldset aria-describedby="expiry-error">/)
    assert.match(empty.text, /<input type="radio" id="expiry-7d"[^>]*aria-invalid="true"/)
    const long = await postShare(t, browser, { label: 'x'.repeat(101), expiry: '7d', items: [theirs] })
    assert.equal(long.status, 400)
    assert.match(long.text, /longer than 100 characters/)
    assert.match(long.text, /can no longer be shared/)
    assert.equal((await t.deps.db.query.shareLinks.findMany()).length, before)
  })

  test('a verifier without an account sees the credentials, who sent them, what Credport vouches for; opens are counted', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const { token } = await makeLink(t, browser, { count: 2 })
    const response = await anonymous(t, `/s/${token}`)
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('x-robots-tag'), 'noindex, nofollow')
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer')
    assert.equal(response.headers.get('cache-control'), 'no-store')
    assert.deepEqual(response.headers.getSetCookie(), [], 'a verifier is given no cookie')
    const html = await response.text()
    assert.match(html, /<meta name="robots" content="noindex, nofollow"\/>/)
    assert.match(html, /<h1>Credentials of [^<]+<\/h1>/)
    assert.equal([...html.matchAll(/<article class="card">/g)].length, 2)
    assert.match(html, /Submitted directly by <strong>[^<]+<\/strong>/)
    assert.match(html, /not altered since/)
    assert.match(html, /What Credport vouches for, and what it does not/)
    assert.match(html, /<div class="qr" role="img"/)
    assert.doesNotMatch(html, /Application to Acme/, 'the holder’s label is theirs')

    await anonymous(t, `/s/${token}`, { accept: 'application/json' })
    const list = await browser.get('/holder/share-links')
    assert.match(list.text, /<dt>Opened<\/dt><dd>2 times, last on /)
  })

  test('Accept: application/json → a compact JWS (EdDSA) that jose verifies against /.well-known/jwks.json', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const { token } = await makeLink(t, browser, { count: 2, expiry: '7d' })
    const response = await anonymous(t, `/s/${token}`, { accept: 'application/json' })
    assert.equal(response.status, 200)
    assert.equal(response.headers.get('content-type'), 'application/jose')
    assert.equal(response.headers.get('x-robots-tag'), 'noindex, nofollow')
    const jws = await response.text()
    const header = decodeProtectedHeader(jws)
    assert.equal(header.alg, 'EdDSA')
    assert.equal(typeof header.kid, 'string')
    const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', t.baseUrl))
    const { payload } = await jwtVerify(jws, keys, { issuer: t.config.publicUrl, currentDate: t.clock.now() })
    assert.equal(payload.exp! - payload.iat!, 7 * 24 * 60 * 60)
    assert.equal(payload.share_url, `${t.config.publicUrl}/s/${token}`)
    const credentials = payload.credentials as Array<Record<string, any>>
    assert.equal(credentials.length, 2)
    for (const credential of credentials) {
      assert.equal(credential.status, 'valid')
      assert.equal(typeof credential.submitted_by.partner, 'string')
      assert.ok(credential.accepted_at)
      assert.ok(credential.fields)
    }
    const jwks = await anonymous(t, '/.well-known/jwks.json')
    assert.match(jwks.headers.get('content-type') ?? '', /^application\/jwk-set\+json\b/)
    const set = (await jwks.json()) as { keys: Array<Record<string, string>> }
    assert.deepEqual(
      set.keys.map((k) => [k.kty, k.crv, k.alg, k.use, k.kid]),
      [['OKP', 'Ed25519', 'EdDSA', 'sig', header.kid]],
    )
    assert.ok(
      set.keys.every((k) => !('d' in k)),
      'no private part is published',
    )
  })

  test('revoked at once: the page and the JSON answer 410, like an unknown token; the list says revoked', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const { token } = await makeLink(t, browser)
    const list = await browser.get('/holder/share-links')
    const revokeHref = /href="(\/holder\/share-links\/[0-9a-f-]+\/revoke)"/.exec(list.text)![1]!
    const confirm = await browser.get(revokeHref)
    assert.equal(confirm.status, 200)
    assert.match(confirm.text, /Revoke this link\?/)
    const revoked = await browser.submit(revokeHref, revokeHref, {})
    assert.equal(revoked.status, 303)
    const after = await browser.get(revoked.location!)
    assert.match(after.text, /The link “Application to Acme” is revoked/)
    assert.match(after.text, /Revoked/)
    // When it was revoked, not when it would have expired.
    assert.match(after.text, /<dt>Revoked<\/dt><dd><time/)
    assert.doesNotMatch(after.text, /<dt>Expires<\/dt>/)
    assert.doesNotMatch(after.text, /href="\/holder\/share-links\/[0-9a-f-]+\/revoke"/)

    const gone = await anonymous(t, `/s/${token}`)
    assert.equal(gone.status, 410)
    assert.equal(gone.headers.get('x-robots-tag'), 'noindex, nofollow')
    const goneHtml = await gone.text()
    assert.match(goneHtml, /This link is not available/)
    const unknown = await anonymous(t, `/s/${'A'.repeat(43)}`)
    assert.equal(unknown.status, 410)
    const strip = (html: string) => mainOf(html)
    assert.equal(strip(await unknown.text()), strip(goneHtml), 'unknown and revoked look alike')
    const malformed = await anonymous(t, '/s/short')
    assert.equal(malformed.status, 410)

    const json = await anonymous(t, `/s/${token}`, { accept: 'application/json' })
    assert.equal(json.status, 410)
    assert.equal(json.headers.get('content-type'), 'application/problem+json; charset=utf-8')
    const problem = (await json.json()) as Record<string, unknown>
    assert.equal(problem.type, '/problems/share_link_gone')
    const unknownJson = await anonymous(t, `/s/${'B'.repeat(43)}`, { accept: 'application/json' })
    assert.equal(unknownJson.status, 410)
    assert.equal(((await unknownJson.json()) as Record<string, unknown>).type, '/problems/share_link_gone')

    // Another holder cannot revoke it, or learn that it exists.
    const { browser: other } = await signedInBrowser(t, outbox)
    assert.equal((await other.get(revokeHref)).status, 404)
  })

  test('expired on the service’s clock → 410; the holder’s list says expired', async () => {
    const { browser, email } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const { token } = await makeLink(t, browser, { expiry: '7d' })
    t.clock.advance(7 * DAY - 60_000)
    assert.equal((await anonymous(t, `/s/${token}`)).status, 200)
    t.clock.advance(60_000)
    assert.equal((await anonymous(t, `/s/${token}`)).status, 410)
    assert.equal((await anonymous(t, `/s/${token}`, { accept: 'application/json' })).status, 410)
    // (The holder's session has expired meanwhile: they sign in again.)
    const { browser: again } = await signedInBrowser(t, outbox, email)
    const list = await again.get('/holder/share-links')
    assert.match(list.text, /<span class="badge neutral">Expired<\/span>/)
  })

  test('a credential revoked by its issuer stays shown, marked with date and reason; one the holder removed shows nothing of it', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const { token: partnerToken } = await acceptedBatch(t, browser)
    const { token } = await makeLink(t, browser, { count: 3 })
    const [link] = await t.deps.db.select().from(shareLinks).orderBy(desc(shareLinks.createdAt)).limit(1)
    const items = await t.deps.db
      .select()
      .from(shareLinkItems)
      .where(eq(shareLinkItems.shareLinkId, link!.id))
      .orderBy(shareLinkItems.position)
    // The issuer revokes the first through the partner API; the holder removes the second from their wallet.
    const [first, second] = await Promise.all(
      [items[0]!, items[1]!].map(async ({ itemId }) => {
        const [row] = await t.deps.db
          .select({ partnerItemId: submissionItems.partnerItemId, holderId: submissions.holderId })
          .from(submissionItems)
          .innerJoin(submissions, eq(submissions.id, submissionItems.submissionId))
          .where(eq(submissionItems.id, itemId))
        return { itemId, ...row! }
      }),
    )
    const revocation = await t.request('POST', `/api/partner/v2/credentials/${first!.partnerItemId}/revoke`, {
      json: { reason: 'Issued in error' },
      token: partnerToken,
    })
    assert.equal(revocation.status, 200, revocation.text)
    const revokedAt = new Date(revocation.body.revoked_at)
    await removeCredentialByHolder(t.deps, { holderId: second!.holderId!, itemId: second!.itemId })

    const html = await (await anonymous(t, `/s/${token}`)).text()
    assert.match(html, /Revoked by the issuer on <time[^>]*>[^<]+<\/time>: Issued in error/)
    assert.match(html, /Removed by the holder/)
    assert.equal([...html.matchAll(/<article class="card">/g)].length, 2, 'the revoked one and the valid one')

    const jws = await (await anonymous(t, `/s/${token}`, { accept: 'application/json' })).text()
    const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', t.baseUrl))
    const { payload } = await jwtVerify(jws, keys, { issuer: t.config.publicUrl, currentDate: t.clock.now() })
    const credentials = payload.credentials as Array<Record<string, unknown>>
    assert.deepEqual(
      credentials.map((c) => c.status),
      ['revoked', 'removed', 'valid'],
    )
    assert.equal(credentials[0]!.revoked_at, revokedAt.toISOString())
    assert.equal(credentials[0]!.revoke_reason, 'Issued in error')
    assert.deepEqual(Object.keys(credentials[1]!).sort(), ['id', 'removed_at', 'status'])
  })

  test('documents: served under the token only when the link includes them', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await acceptedBatch(t, browser)
    const withDocs = await makeLink(t, browser, { count: 1, documents: true })
    const page = await (await anonymous(t, `/s/${withDocs.token}`)).text()
    const href = new RegExp(`href="(/s/${withDocs.token}/documents/[0-9a-f-]+)\\?download=1"`).exec(page)?.[1]
    assert.ok(href, 'the page links the document under the token')
    const document = await anonymous(t, href)
    assert.equal(document.status, 200)
    assert.equal(document.headers.get('content-type'), 'application/pdf')
    assert.match(document.headers.get('content-security-policy') ?? '', /\bsandbox\b/)
    assert.equal(document.headers.get('cache-control'), 'private, no-store')
    assert.deepEqual(Buffer.from(await document.arrayBuffer()), PDF)

    const without = await makeLink(t, browser, { count: 1, documents: false })
    const plain = await (await anonymous(t, `/s/${without.token}`)).text()
    assert.doesNotMatch(plain, /\/documents\//)
    const assetId = href.split('/').pop()!
    assert.equal((await anonymous(t, `/s/${without.token}/documents/${assetId}`)).status, 410)
  })

  test(`rate-limited per IP: ${SHARE_OPENS_PER_MINUTE} a minute, then 429 with Retry-After`, async () => {
    t.clock.advance(2 * 60_000)
    const unknown = `/s/${'C'.repeat(43)}`
    for (let i = 0; i < SHARE_OPENS_PER_MINUTE; i++) {
      assert.equal((await anonymous(t, unknown)).status, 410, `request ${i + 1}`)
    }
    const limited = await anonymous(t, unknown)
    assert.equal(limited.status, 429)
    assert.ok(Number(limited.headers.get('retry-after')) > 0)
    t.clock.advance(2 * 60_000)
    assert.equal((await anonymous(t, unknown)).status, 410)
  })
})

describeEachBackend('share links: what the log and problems show', (use) => {
  test('a share token never reaches the log: request lines and problems name /s/{token}', async () => {
    const lines: string[] = []
    const { startTestApp } = await import('../support/app.js')
    const t = await startTestApp(use().backend, {}, { level: 'info', lines })
    try {
      const token = 'D'.repeat(43)
      const response = await fetch(new URL(`/s/${token}`, t.baseUrl), { headers: { accept: 'application/json' } })
      assert.equal(response.status, 410)
      const problem = (await response.json()) as Record<string, unknown>
      assert.equal(problem.instance, '/s/{token}')
      const logged = lines.join('\n')
      assert.match(logged, /"path":"\/s\/\{token\}"/)
      assert.ok(!logged.includes(token), 'the token is not logged')
    } finally {
      await t.close()
    }
  })
})
