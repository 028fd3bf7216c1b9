import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { makePartner, tokenFor } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import {
  Browser,
  beforeEachHolderTest,
  CODE,
  openLink,
  type Outbox,
  SIGN_IN,
  setCookieLine,
  signedInBrowser,
  uniqueEmail,
} from '../auth/support.js'

// The review page over HTTP: the summary of the public batch sample, and its dates and times in
// the browser's language variant and time zone.

const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

/**
 * Opens the link of a fresh batch sample as its landing page does (the hand-off's POST of the
 * link's fragment and, when given, of the browser's time zone).
 */
async function openFreshLink(t: TestApp, browser: Browser, extra: Record<string, string> = {}) {
  const token = await tokenFor(t, await makePartner(t, { name: 'University A' }))
  const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
  assert.equal(created.status, 201, created.text)
  const link = parseRedirect(created.body.redirect_uri)
  assert.match((await browser.get(`/partner/add/${link.path}`)).text, /<input type="hidden" name="time_zone"/)
  return openLink(browser, link, extra)
}

/** The signed-in browser's review of a fresh batch sample (opened as its landing page does). */
async function reviewOf(t: TestApp, browser: Browser): Promise<string> {
  const opened = await openFreshLink(t, browser)
  assert.equal(opened.location, '/holder/review')
  const review = await browser.get('/holder/review')
  assert.equal(review.status, 200)
  return review.text
}

/** The summary's last fact: when the link expires. */
const expiry = (html: string) => /<dd><time datetime="[^"]+">(.*?)<\/time><\/dd><\/dl>/.exec(html)?.[1] ?? ''

describeEachBackend('holder review page', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('the batch sample: a summary with the partner, the name once, ten credentials by kind and the decision', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const html = await reviewOf(t, browser)
    const summary = textOf(/<section class="summary".*?<\/section>/.exec(html)![0])
    for (const fact of [
      'From University A',
      'In the name of John Doe',
      'Credentials 10',
      'Qualifications (2), English proficiency (2), Learning and development (2)',
      'Documents 0 of 4 received',
      'Some documents have not arrived yet:',
      'Accept 10 credentials',
      'Decline',
    ])
      assert.ok(summary.includes(fact), `"${fact}" in: ${summary}`)
    assert.equal(html.match(/<article class="card/g)?.length, 10)
    assert.doesNotMatch(html, /<iframe|<embed|<object/)
    assert.match(expiry(html), /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC$/, 'day-month-year, 24 h, UTC named')
  })

  test('dates follow Accept-Language (en-US, id, th) and times the time zone cookie, when it names a real zone', async () => {
    const cases: Array<[Record<string, string>, string | null, RegExp]> = [
      [{ 'accept-language': 'en-US,en;q=0.9' }, null, /^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{1,2}:\d{2} (AM|PM) UTC$/],
      [{ 'accept-language': 'en-AU' }, 'Australia/Melbourne', /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} GMT\+1[01]$/],
      [{ 'accept-language': 'id' }, 'Asia/Jakarta', /^\d{1,2} [A-Z][a-z]+ \d{4} pukul \d{2}\.\d{2} WIB$/],
      [{ 'accept-language': 'th' }, 'Asia/Bangkok', /^\d{1,2} [\u0E00-\u0E7F]+ ค\.ศ\. \d{4} เวลา \d{2}:\d{2} GMT\+7$/],
      [{ 'accept-language': 'en' }, 'Not/AZone', /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC$/],
    ]
    for (const [headers, zone, shape] of cases) {
      const { browser } = await signedInBrowser(t, outbox, undefined, headers)
      if (zone) browser.cookies.set('credport_tz', zone)
      assert.match(expiry(await reviewOf(t, browser)), shape, `${JSON.stringify(headers)} ${zone}`)
    }
  })

  test('the hand-off’s time zone is remembered in the time zone cookie: the first review after signing in writes times in it', async () => {
    const browser = new Browser(t, { 'accept-language': 'en-AU' })
    const opened = await openFreshLink(t, browser, { time_zone: 'Australia/Melbourne' })
    assert.equal(opened.location, SIGN_IN)
    // As the time-zone script writes it: readable by that script (no HttpOnly), for the holder pages.
    assert.equal(
      setCookieLine(opened, 'credport_tz'),
      'credport_tz=Australia/Melbourne; Max-Age=31536000; Path=/holder; SameSite=Lax',
    )
    assert.equal((await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })).status, 303)
    const verified = await browser.submit(CODE, CODE, { code: outbox.one().code })
    assert.equal(verified.location, '/holder/review')
    const review = await browser.get('/holder/review')
    assert.match(expiry(review.text), /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} GMT\+1[01]$/, 'Melbourne time')

    // The same zone again is not written again; a new one replaces it.
    assert.equal(
      setCookieLine(await openFreshLink(t, browser, { time_zone: 'Australia/Melbourne' }), 'credport_tz'),
      undefined,
    )
    const moved = await openFreshLink(t, browser, { time_zone: 'Asia/Bangkok' })
    assert.match(setCookieLine(moved, 'credport_tz') ?? '', /^credport_tz=Asia\/Bangkok;/)
  })

  test('a time zone the server does not know, or none, sets no cookie; the link opens all the same', async () => {
    for (const zone of ['Mars/Olympus_Mons', 'Australia/Melbourne; Path=/', '../etc', '', 'x'.repeat(80)]) {
      const opened = await openFreshLink(t, new Browser(t), { time_zone: zone })
      assert.equal(opened.location, SIGN_IN, zone)
      assert.equal(setCookieLine(opened, 'credport_tz'), undefined, zone)
    }
    const withoutField = await openFreshLink(t, new Browser(t))
    assert.equal(withoutField.location, SIGN_IN)
    assert.equal(setCookieLine(withoutField, 'credport_tz'), undefined)
  })

  test('the time zone script is served as JavaScript, and a signed-in page loads it by nonce', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const script = await browser.get('/holder/static/time-zone.js')
    assert.equal(script.status, 200)
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/)
    assert.match(script.text, /credport_tz=/)
    const wallet = await browser.get('/holder/wallet')
    const nonce = /script-src 'nonce-([^']+)'/.exec(wallet.headers.get('content-security-policy') ?? '')?.[1]
    assert.ok(nonce)
    assert.ok(wallet.text.includes(`<script nonce="${nonce}" src="/holder/static/time-zone.js" defer></script>`))
  })
})
