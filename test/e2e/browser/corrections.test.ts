import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createClient, CredportProblemError } from '../../../src/client/index.js'
import { browserSkipReason } from '../../support/browser.js'
import { assertAccessible, assertCleanPage, browserSuite, newPartner, submitBatchSample } from './support.js'

/**
 * The issuer's corrections seen by the holder in Chromium, the partner acting through the SDK:
 * a credential revoked after acceptance stays in the wallet marked revoked (badge on its row, the
 * reason and date on its page), and a request withdrawn before a decision says so on the link.
 * Each page passes axe at phone and desktop width, under the strict CSP.
 */
describe('corrections in Chromium: revoked in the wallet, withdrawn on the link', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  const sdk = (partner: Awaited<ReturnType<typeof newPartner>>) =>
    createClient({
      baseUrl: suite.app().baseUrl,
      clientId: partner.client.client_id,
      clientSecret: partner.client.client_secret,
    })

  it('the holder accepts, the partner revokes through the SDK: the wallet shows the revoked badge and reason', async () => {
    const t = suite.app()
    const partner = await newPartner(t, { displayName: 'University of Testing' })
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('revoked')
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    await holder.decide('accept')

    const client = sdk(partner)
    const reason = 'The degree was rescinded by the academic board on 28 February 2026.'
    const revocation = await client.revoke(`${submitted.id}-edu-1`, reason)
    assert.equal(revocation.status, 'revoked')
    assert.deepEqual(await client.revoke(`${submitted.id}-edu-1`, 'another reason'), revocation, 'idempotent')
    const status = await client.status(submitted.id)
    assert.equal(status.items.find((i) => i.id === `${submitted.id}-edu-1`)?.status, 'revoked')
    // Withdrawing it now is refused: it was accepted.
    await assert.rejects(client.withdraw(submitted.id), (e) => e instanceof CredportProblemError && e.status === 409)

    for (const width of [390, 1280]) {
      await holder.page.setViewportSize({ width, height: 900 })
      assert.equal(await holder.goto('/holder/wallet'), 200)
      const badges = holder.page.locator('.wallet-row .revoked-badge')
      assert.equal(await badges.count(), 1, 'one credential marked, the others not')
      assert.match(await badges.innerText(), /Revoked by the issuer/)
      assert.ok(await badges.isVisible())
      await assertAccessible(holder.page, `wallet with a revoked credential at ${width} px`)

      const row = holder.page.locator('.wallet-row', { has: holder.page.locator('.revoked-badge') })
      await row.locator('a.row-title').click()
      const notice = holder.page.locator('.revoked-notice')
      assert.ok(await notice.isVisible())
      const text = await notice.innerText()
      assert.match(text, /Revoked by University of Testing on .*\d{4}\./)
      assert.ok(text.includes(reason), text)
      assert.ok(await holder.page.locator('.wallet-item .card').isVisible(), 'the credential stays shown')
      await assertAccessible(holder.page, `revoked credential page at ${width} px`)
    }
    await holder.goto(`${new URL(holder.page.url()).pathname}?lang=th`)
    assert.match(await holder.page.locator('.revoked-notice').innerText(), /ถูกเพิกถอนโดยผู้ออก/)
    await holder.goto(`${new URL(holder.page.url()).pathname}?lang=id`)
    assert.match(await holder.page.locator('.revoked-notice').innerText(), /Dicabut oleh penerbit/)
    assertCleanPage(holder)
  })

  it('the partner withdraws before a decision: the holder’s link says it was withdrawn by the issuer', async () => {
    const t = suite.app()
    const partner = await newPartner(t, { displayName: 'College of Mistakes' })
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('withdrawn')
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    assert.equal(new URL(holder.page.url()).pathname, '/holder/review')

    const withdrawn = await sdk(partner).withdraw(submitted.id)
    assert.equal(withdrawn.status, 'canceled')

    for (const width of [390, 1280]) {
      await holder.page.setViewportSize({ width, height: 900 })
      assert.equal(await holder.goto('/holder/review'), 410)
      assert.equal(await holder.page.locator('main h1').innerText(), 'This request was withdrawn')
      assert.match(await holder.page.locator('main').innerText(), /College of Mistakes withdrew this request/)
      await assertAccessible(holder.page, `withdrawn request at ${width} px`)
    }
    // The link itself, opened again.
    const again = await holder.openLink(submitted.redirectUri)
    assert.equal(again.status, 410)
    assert.equal(await holder.page.locator('main h1').innerText(), 'This request was withdrawn')
    assertCleanPage(holder)
  })
})
