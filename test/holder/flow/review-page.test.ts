import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { makePartner, tokenFor } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import { type Browser, beforeEachHolderTest, csrfTokenIn, type Outbox, signedInBrowser } from '../auth/support.js'

// The review page over HTTP: the summary of the public batch sample, and its dates and times in
// the browser's language variant and time zone.

const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()

/** The signed-in browser's review of a fresh batch sample (opened as its landing page does). */
async function reviewOf(t: TestApp, browser: Browser): Promise<string> {
  const token = await tokenFor(t, await makePartner(t, { name: 'University A' }))
  const created = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
  assert.equal(created.status, 201, created.text)
  const link = parseRedirect(created.body.redirect_uri)
  const landing = await browser.get(`/partner/add/${link.path}`)
  const opened = await browser.post('/holder/open', {
    _csrf: csrfTokenIn(landing.text),
    path: link.path,
    client_id: link.params.clientId!,
    content: link.params.content!,
  })
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
      [{ 'accept-language': 'th' }, 'Asia/Bangkok', /^\d{1,2} [\u0E00-\u0E7F]+ \d{4} เวลา \d{2}:\d{2} GMT\+7$/],
      [{ 'accept-language': 'en' }, 'Not/AZone', /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC$/],
    ]
    for (const [headers, zone, shape] of cases) {
      const { browser } = await signedInBrowser(t, outbox, undefined, headers)
      if (zone) browser.cookies.set('credport_tz', zone)
      assert.match(expiry(await reviewOf(t, browser)), shape, `${JSON.stringify(headers)} ${zone}`)
    }
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
