import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { makePartnerWithToken } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import { Browser, beforeEachHolderTest, csrfTokenIn, openLink, type Outbox, signedInBrowser } from '../auth/support.js'

/** The page without the one script signed-in pages carry (it only tells the server the time zone): nothing else needs script. */
const withoutTimeZoneHint = (html: string) =>
  html.replace(/<script nonce="[^"]*" src="\/holder\/static\/time-zone\.js" defer><\/script>/, '')

/** A new partner's sample batch (ten credentials), opened and decided by `browser`. */
async function decidedBatch(t: TestApp, browser: Browser, decision: 'accept' | 'decline') {
  const { token } = await makePartnerWithToken(t)
  const { body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  const link = parseRedirect(created.body.redirect_uri)
  const opened = await openLink(browser, link)
  assert.equal(opened.location, '/holder/review')
  const submission = link.params.content!
  const confirm = await browser.submit('/holder/review', '/holder/review/decision', { submission, decision })
  assert.equal(confirm.status, 200)
  const done = await browser.request('POST', '/holder/review/decision/confirm', {
    form: { _csrf: csrfTokenIn(confirm.text), submission, decision },
  })
  assert.equal(done.location, '/holder/done')
  return browser.get('/holder/done')
}

/** The wallet rows of a page: [href, title]. */
const rowsOf = (html: string) =>
  [...html.matchAll(/<a class="row-title" href="([^"]+)">([^<]*)<\/a>/g)].map((m) => [m[1]!, m[2]!] as const)
/** The main content, without what differs per holder and per response (the header, tokens). */
const mainOf = (html: string) => /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? ''

describeEachBackend('holder wallet: grouped, searchable without script, one page per credential', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('after accepting: a success page, then the wallet grouped by kind with counts and compact rows', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const done = await decidedBatch(t, browser, 'accept')
    assert.equal(done.status, 200)
    assert.match(done.text, /<svg class="outcome-icon"/)
    assert.match(done.text, /10 credentials from [^<]+ are now in your wallet\./)
    assert.match(done.text, /What you can do now/)
    assert.match(done.text, /<a class="button" href="\/holder\/wallet">Open my wallet<\/a>/)

    const wallet = await browser.get('/holder/wallet')
    assert.equal(wallet.status, 200)
    assert.doesNotMatch(wallet.text, /Credentials in your wallet/)
    assert.match(wallet.text, /<p class="wallet-summary">10 credentials, from /)
    const kinds = [
      ...wallet.text.matchAll(/<h2 id="kind-([a-z_]+)">[^<]*<span class="count"><span aria-hidden="true">(\d+)/g),
    ]
    assert.deepEqual(
      kinds.map((m) => [m[1], Number(m[2])]),
      [
        ['education', 2],
        ['english_proficiency', 2],
        ['microcredential', 2],
        ['digital_identity', 1],
        ['right_to_work', 1],
        ['career_history', 1],
        ['universal_credential', 1],
      ],
    )
    const rows = rowsOf(wallet.text)
    assert.equal(rows.length, 10)
    for (const [href] of rows) assert.match(href, /^\/holder\/wallet\/[0-9a-f-]{36}$/)
    assert.doesNotMatch(wallet.text, /class="card"|<iframe/, 'rows, not full cards')
    assert.doesNotMatch(withoutTimeZoneHint(wallet.text), /<script/)
  })

  test('?q= filters on the server, case- and accent-insensitively; no match says so', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await decidedBatch(t, browser, 'accept')
    const search = async (q: string) => browser.get(`/holder/wallet?q=${encodeURIComponent(q)}`)

    const english = await search('english')
    assert.deepEqual(
      rowsOf(english.text)
        .map(([, title]) => title)
        .sort(),
      ['English SPEAKING', 'English WRITING'],
    )
    assert.match(english.text, /2 credentials match “english”\./)
    assert.match(english.text, /value="english"/)

    assert.deepEqual(
      rowsOf((await search('  ÀI   ÉSSENTIALS ')).text).map(([, title]) => title),
      ['AI Essentials'],
    )
    assert.deepEqual(rowsOf((await search('melbourne')).text).length, 2, 'the issuer is searched too')

    const none = await search('no such thing')
    assert.equal(none.status, 200)
    assert.deepEqual(rowsOf(none.text), [])
    assert.match(none.text, /No credential matches “no such thing”/)
    assert.match(none.text, /<a href="\/holder\/wallet">Show all credentials<\/a>/)

    const repeated = await browser.get('/holder/wallet?q=english&q=ai')
    assert.equal(repeated.status, 200)
    assert.equal(rowsOf(repeated.text).length, 10, 'a repeated q is no search')
    const hostile = await search('<script>alert(1)</script>')
    assert.equal(hostile.status, 200)
    assert.doesNotMatch(hostile.text, /<script>alert/)
  })

  test('each credential has its own page; another holder’s and an unknown id get the same 404', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    await decidedBatch(t, browser, 'accept')
    const rows = rowsOf((await browser.get('/holder/wallet')).text)
    const [href, title] = rows.find(([, name]) => name === 'AI Essentials')!

    const item = await browser.get(href)
    assert.equal(item.status, 200)
    assert.match(item.text, new RegExp(`<h1 class="title">${title}</h1>`))
    assert.match(item.text, /class="card"/)
    assert.match(item.text, /Added to your wallet on /)
    assert.match(item.text, /<nav class="item-nav"><a href="\/holder\/wallet">/)
    assert.match(item.headers.get('content-security-policy') ?? '', /script-src 'nonce-/)

    const stranger = (await signedInBrowser(t, outbox)).browser
    const theirs = await stranger.get(href)
    const unknown = await stranger.get(`/holder/wallet/${randomUUID()}`)
    const malformed = await stranger.get('/holder/wallet/not-an-id')
    for (const response of [theirs, unknown, malformed]) {
      assert.equal(response.status, 404)
      assert.match(response.text, /<h1>Credential not found<\/h1>/)
      assert.doesNotMatch(response.text, /AI Essentials|John Doe/)
    }
    assert.equal(mainOf(theirs.text), mainOf(unknown.text), 'nothing tells another holder’s item from an unknown one')

    const signedOut = await new (browser.constructor as typeof Browser)(t).get(href)
    assert.equal(signedOut.status, 303)
    assert.match(signedOut.location ?? '', /^\/holder\/sign-in/)
  })

  test('a declined batch never reaches the wallet; an empty wallet says so', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const done = await decidedBatch(t, browser, 'decline')
    assert.match(done.text, /Request declined/)
    const wallet = await browser.get('/holder/wallet')
    assert.equal(wallet.status, 200)
    assert.deepEqual(rowsOf(wallet.text), [])
    assert.match(wallet.text, /Your wallet is empty/)
  })
})

describeEachBackend('addresses people type: the root, /holder and pages that do not exist', (use) => {
  test('a browser at / or /holder goes to the wallet; an unknown /holder/… address is a page in the holder’s language', async () => {
    const t = use()
    const browser = new Browser(t, { accept: 'text/html,application/xhtml+xml', 'accept-language': 'id' })
    for (const path of ['/', '/holder', '/holder/']) {
      const response = await browser.get(path)
      assert.equal(response.status, 303, path)
      assert.equal(response.location, '/holder/wallet', path)
    }
    for (const path of ['/holder/anything', '/holder/wallet/x/y', '/holder/review/nope']) {
      const page = await browser.get(path)
      assert.equal(page.status, 404, path)
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
      assert.match(page.text, /<html lang="id">/)
      assert.match(page.text, /<h1>Halaman ini tidak ada<\/h1>/)
      assert.match(page.text, /href="\/holder\/wallet"/)
      assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'|script-src 'nonce-/)
    }
    // Not a browser, or not a page: the problem answers stay.
    const api = await t.request('GET', '/')
    assert.equal(api.status, 404)
    assert.match(api.headers.get('content-type') ?? '', /^application\/problem\+json/)
    assert.equal((await t.request('POST', '/holder/anything')).status, 404)
    const missingFile = await browser.get('/holder/static/missing.css')
    assert.equal(missingFile.status, 404)
    assert.match(missingFile.headers.get('content-type') ?? '', /^application\/problem\+json/)
  })
})
