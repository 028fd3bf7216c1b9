import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { uploadLogo } from '../../../src/modules/admin/partner-logo.js'
import { updatePartnerProfile } from '../../../src/modules/admin/partners.service.js'
import { browserSkipReason } from '../../support/browser.js'
import { assertCleanPage, browserSuite, newPartner, submitBatchSample } from './support.js'

/** A logo with the kind of content the sanitiser removes (it must still draw, and run nothing). */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" onload="window.__logo=1">
<script>window.__logo=2</script><rect width="64" height="64" rx="12" fill="#1d4e89"/></svg>`

const PHONE = { width: 390, height: 844 }

describe('holder pages in Chromium: who is asking, before sign-in [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  it('the sign-in page opened from a link shows the issuer, its logo (drawn, under the CSP) and the count, nothing personal', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    await uploadLogo(t.deps, partner.client.partner_id, 'image/svg+xml', Buffer.from(LOGO))
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('issuer.context')
    const landed = await holder.openLink(submitted.redirectUri)
    assert.equal(new URL(landed.url).pathname, '/holder/sign-in')
    const heading = await holder.page.locator('main h1').innerText()
    assert.match(heading, /^Partner [0-9a-f]{8} wants to add 10 credentials to your wallet$/)
    const logo = holder.page.locator('img.issuer-logo')
    await logo.waitFor()
    assert.ok(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the logo draws')
    const box = await logo.boundingBox()
    assert.ok(box && box.width <= 64 && box.height <= 64, `logo ${JSON.stringify(box)}`)
    // What happens next comes before the email field, and nothing about the holder is on the page.
    const text = await holder.mainText()
    assert.ok(text.indexOf('What happens next') < text.indexOf('Email address'))
    assert.doesNotMatch(text, /John Doe|@example\.com/)
    assert.equal(await holder.page.evaluate(() => (window as unknown as { __logo?: number }).__logo ?? 0), 0)
    assertCleanPage(holder)
  })

  it('on a phone (390×844), who is asking, the logo and what happens next are in the first screen, above the email field', async (test) => {
    const t = suite.app()
    const partner = await newPartner(t)
    // A real-length name and a support contact: the longest intro a partner makes.
    await updatePartnerProfile(t.deps, partner.client.partner_id, {
      displayName: 'University of Melbourne',
      supportContact: 'graduations@unimelb.example.edu.au',
    })
    await uploadLogo(t.deps, partner.client.partner_id, 'image/svg+xml', Buffer.from(LOGO))
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('issuer.phone', { viewport: PHONE })
    const landed = await holder.openLink(submitted.redirectUri)
    assert.equal(new URL(landed.url).pathname, '/holder/sign-in')
    const { page } = holder
    const heading = page.locator('main h1')
    assert.equal(await heading.innerText(), 'University of Melbourne wants to add 10 credentials to your wallet')
    await page.locator('img.issuer-logo').waitFor()
    const email = await page.locator('input#email').boundingBox()
    assert.ok(email, 'the email field is shown')
    const ends: string[] = []
    for (const [what, element] of [
      ['heading', heading],
      ['logo', page.locator('img.issuer-logo')],
      ['next steps', page.locator('main ol.next-steps')],
    ] as const) {
      const box = await element.boundingBox()
      assert.ok(box && box.height > 0, `${what} is shown`)
      const bottom = Math.round(box.y + box.height)
      ends.push(`${what} ${bottom} px`)
      assert.ok(bottom <= PHONE.height, `${what} ends at ${bottom} px, below the first screen`)
      assert.ok(bottom <= email.y, `${what} ends at ${bottom} px, below the email field (${email.y} px)`)
    }
    test.diagnostic(
      `sign-in from a link at 390×844: ${ends.join(', ')}; email field ${Math.round(email.y)}–${Math.round(email.y + email.height)} px`,
    )
    assertCleanPage(holder)
  })
})
