import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { browserSkipReason } from '../../support/browser.js'
import { assertCleanPage, browserSuite, newPartner, submitBatchSample, upload } from './support.js'

/**
 * The review of the public v2 batch sample on a phone (390×844): the summary and the decision
 * fit the first screen, the page is less than half as tall as the ≈5,700 px of the card-per-
 * credential layout, details open with the keyboard, PDFs are never embedded, and times are
 * written in the browser's time zone from the first review on.
 */

const PHONE = { width: 390, height: 844 }
/** Half of the ≈5,700 px the review of the batch sample measured on a phone before the summary and compact cards. */
const HALF_OF_BEFORE = 2_850

describe('review of the batch sample on a phone [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  it('summary and decision in the first screen, page height halved, details on demand, no embedded PDF', async (test) => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitBatchSample(t, partner)
    await upload(t, submitted, '-micro-1-asset', 'pdf')
    await upload(t, submitted, '-micro-2-asset', 'png')
    const holder = await suite.holder('phone.holder', {
      viewport: PHONE,
      locale: 'en-AU',
      timezoneId: 'Australia/Melbourne',
      extraHTTPHeaders: { 'Accept-Language': 'en-AU,en;q=0.9' },
    })
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    const { page } = holder
    assert.equal(new URL(page.url()).pathname, '/holder/review')

    // The landing page's hand-off posted the browser's zone with the link: the first review after
    // signing in already writes times in it (Melbourne, not UTC).
    assert.match(
      await page.locator('main .summary time').innerText(),
      /^\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} GMT\+1[01]$/,
    )
    // REVIEW_SHOT=<file.png> keeps pictures of the review (whole page, first screen), to look at.
    const shot = process.env.REVIEW_SHOT
    if (shot) {
      await page.screenshot({ path: shot, fullPage: true })
      await page.screenshot({ path: shot.replace(/\.png$/, '-first-screen.png') })
    }
    const summary = page.locator('main .summary')
    const accept = page.getByRole('button', { name: 'Accept 10 credentials' })
    for (const [what, element] of [
      ['summary', summary],
      ['accept button', accept],
      ['decline button', page.getByRole('button', { name: 'Decline' })],
    ] as const) {
      const box = await element.boundingBox()
      assert.ok(box, `${what} is shown`)
      assert.ok(box.y + box.height <= PHONE.height, `${what} ends at ${box.y + box.height} px, below the first screen`)
    }
    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    const acceptBottom = await accept.boundingBox().then((b) => Math.round(b!.y + b!.height))
    test.diagnostic(
      `review of the batch sample at 390×844: page ${height} px tall, accept button ends at ${acceptBottom} px`,
    )
    assert.ok(height <= HALF_OF_BEFORE, `the page is ${height} px tall`)

    // The summary: who, in whose name (once), what, documents, expiry in the holder's zone.
    const said = await summary.innerText()
    for (const fact of ['John Doe', 'Qualifications (2)', '2 of 4 received', '10', '5 credentials have expired'])
      assert.ok(said.includes(fact), `${fact} in ${said}`)
    assert.match(said, /Link expires\s+\d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} GMT\+1[01]\b/)
    assert.equal(await page.locator('main .summary .notice').count(), 2, 'expired tests and documents still to come')
    assert.equal(await page.locator('main dt', { hasText: /^Name$/ }).count(), 0, 'the name is not repeated per card')

    // Badges stay on one line; no PDF viewer is embedded; details open from the keyboard.
    for (const badge of await page.locator('main .badge').all()) {
      const box = await badge.boundingBox()
      if (box) assert.ok(box.height < 32, `a badge wraps: ${await badge.innerText()}`)
    }
    assert.equal(await page.locator('main iframe, main embed, main object').count(), 0)
    const card = page.locator('main .card', { hasText: 'AI Essentials' })
    await card.locator('summary').focus()
    await page.keyboard.press('Enter')
    const open = card.getByRole('link', { name: /^Open PDF document of AI Essentials/ })
    assert.equal(await open.getAttribute('target'), '_blank')
    const pdf = await holder.fetch((await open.getAttribute('href'))!)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
    assert.ok(await card.getByRole('link', { name: /^Download PDF document/ }).isVisible())
    if (shot) await card.screenshot({ path: shot.replace(/\.png$/, '-open-card.png') })
    // "Open" shows the PDF in a tab of its own (the browser's viewer, full size).
    const [tab] = await Promise.all([page.waitForEvent('popup'), open.click()])
    await tab.waitForLoadState()
    assert.equal(new URL(tab.url()).pathname, await open.getAttribute('href'))
    await tab.close()
    assertCleanPage(holder)
  })
})
