import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { eq } from 'drizzle-orm'
import { assets, submissionItems } from '../../../src/db/schema.js'
import { browserSkipReason } from '../../support/browser.js'
import { backends } from '../../support/databases.js'
import { statusPath } from '../../support/intake-helpers.js'
import {
  assertAccessible,
  assertCleanPage,
  browserSuite,
  newPartner,
  type Partner,
  submitBatchSample,
  upload,
} from './support.js'
import type { TestApp } from '../../support/app.js'

/**
 * Per-item consent in Chromium, with the public v2 batch sample: the holder unticks a credential
 * with the keyboard, sees "Accept 9, decline 1" (a live region), confirms on the confirmation
 * step, and finds the other nine in the wallet; the partner's status API says which was accepted
 * and which declined, and the declined credential's data and document are gone. Unticking every
 * credential is declining the whole request, and the pages say so.
 */

const KEPT_TITLES = [
  'Identity of John Doe',
  'AI Advanced',
  'BSc — majoring in IT',
  'Master of Science — majoring in IT',
  'English SPEAKING',
  'English WRITING',
  'Right to work in Singapore — Singapore permanent resident',
  'Senior Software Engineer at Company A',
  'Example Certification',
].sort()

/** The partner status API's items of a submission: partner item id → status. */
async function itemStatuses(t: TestApp, partner: Partner, id: string) {
  const response = await t.request('GET', statusPath(id), { token: await partner.token() })
  assert.equal(response.status, 200, response.text)
  const items = response.body.items as Array<{ id: string; status: string }>
  return { status: response.body.status as string, items: new Map(items.map((i) => [i.id, i.status])) }
}

for (const backend of backends()) {
  describe(`per-item consent in Chromium [${backend}]`, { skip: browserSkipReason() }, () => {
    const suite = browserSuite({ backend })

    it('untick one with the keyboard → "Accept 9, decline 1" → confirm → wallet of nine; status per item; the declined one deleted', async () => {
      const t = suite.app()
      const partner = await newPartner(t)
      const submitted = await submitBatchSample(t, partner)
      await upload(t, submitted, '-micro-1-asset', 'pdf')
      await upload(t, submitted, '-micro-2-asset', 'png')
      const [declinedItem] = await t.deps.db
        .select()
        .from(submissionItems)
        .where(eq(submissionItems.partnerItemId, `${submitted.id}-micro-1`))
      const [declinedAsset] = await t.deps.db.select().from(assets).where(eq(assets.itemId, declinedItem!.id))
      const blobKey = declinedAsset!.blobKey!

      const holder = await suite.holder('consent.partial')
      await holder.openLink(submitted.redirectUri)
      await holder.signIn()
      const { page } = holder
      await page.waitForURL('**/holder/review')
      const boxes = page.getByRole('checkbox')
      assert.equal(await boxes.count(), 10)
      for (const box of await boxes.all()) assert.ok(await box.isChecked(), 'each credential is selected by default')
      const selection = page.locator('#selection')
      assert.equal(await selection.innerText(), '', 'nothing to say while all are selected')
      assert.equal(await page.locator('fieldset legend').innerText(), 'Check each credential')

      // Keyboard only: Tab moves to the AI Essentials checkbox (named by its title), Space unticks it.
      const essentials = page.getByRole('checkbox', { name: /AI Essentials$/ })
      await page.getByRole('heading', { name: 'Identity of John Doe' }).click()
      for (let i = 0; i < 40 && !(await essentials.evaluate((el) => el === document.activeElement)); i++)
        await page.keyboard.press('Tab')
      assert.ok(await essentials.evaluate((el) => el === document.activeElement), 'reached by Tab')
      await page.keyboard.press('Space')
      assert.equal(await essentials.isChecked(), false)
      assert.equal(await selection.innerText(), 'Accept 9, decline 1')
      assert.equal(await selection.getAttribute('aria-live'), 'polite')
      const accept = page.locator('#accept-form button')
      assert.equal(await accept.innerText(), 'Accept 9 credentials')
      await assertAccessible(page, 'review with one credential unticked')

      // The confirmation step says the same, names what will be declined, and posts the nine.
      await Promise.all([page.waitForURL('**/holder/review/decision'), accept.click()])
      assert.equal(await page.locator('main h1').innerText(), 'Accept 9, decline 1?')
      assert.deepEqual(await page.locator('main ul.declined-list li').allInnerTexts(), ['AI Essentials'])
      await assertAccessible(page, 'confirmation of a partial acceptance')
      const confirm = page.getByRole('button', { name: 'Yes, accept 9 and decline 1' })
      await confirm.focus()
      await Promise.all([page.waitForURL('**/holder/done'), page.keyboard.press('Enter')])
      const done = await page.locator('main').innerText()
      assert.match(done, /9 credentials from/)
      assert.match(done, /1 credential you declined was not added; its data was deleted\./)

      await holder.goto('/holder/wallet')
      assert.deepEqual((await page.locator('main .row-title').allInnerTexts()).sort(), KEPT_TITLES)
      assert.equal(await holder.goto(`/holder/wallet/${declinedItem!.id}`), 404)

      const status = await itemStatuses(t, partner, submitted.id)
      assert.equal(status.status, 'verified')
      assert.equal(status.items.size, 10)
      for (const [id, itemStatus] of status.items)
        assert.equal(itemStatus, id === `${submitted.id}-micro-1` ? 'declined' : 'accepted', id)

      const [after] = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.id, declinedItem!.id))
      assert.deepEqual([after!.fields, after!.partnerChain, after!.displayTitle], [null, null, null])
      const [assetAfter] = await t.deps.db.select().from(assets).where(eq(assets.id, declinedAsset!.id))
      assert.equal(assetAfter!.blobKey, null)
      assert.equal(await t.deps.blobs.get(blobKey), null, 'the declined document is deleted from the blob store')
      assertCleanPage(holder)
    })

    it('untick every credential: the button and live region say it declines all; confirmed, the request is canceled', async () => {
      const t = suite.app()
      const partner = await newPartner(t)
      const submitted = await submitBatchSample(t, partner)
      const holder = await suite.holder('consent.none')
      await holder.openLink(submitted.redirectUri)
      await holder.signIn()
      const { page } = holder
      await page.waitForURL('**/holder/review')
      for (const box of await page.getByRole('checkbox').all()) {
        await box.focus()
        await page.keyboard.press('Space')
      }
      assert.equal(
        await page.locator('#selection').innerText(),
        'None selected: continuing declines the whole request.',
      )
      const button = page.locator('#accept-form button')
      assert.equal(await button.innerText(), 'Continue: decline all')
      await Promise.all([page.waitForURL('**/holder/review/decision'), button.click()])
      assert.equal(await page.locator('main h1').innerText(), 'Decline this request?')
      assert.match(
        await page.locator('main').innerText(),
        /You did not select any credential, so confirming declines the whole request\./,
      )
      await Promise.all([page.waitForURL('**/holder/done'), page.getByRole('button', { name: 'Yes, decline' }).click()])
      assert.equal(await page.locator('main h1').innerText(), 'Request declined')
      const status = await itemStatuses(t, partner, submitted.id)
      assert.equal(status.status, 'canceled')
      assert.ok([...status.items.values()].every((s) => s === 'declined'))
      await holder.goto('/holder/wallet')
      assert.equal(await page.locator('main .row-title').count(), 0)
      assertCleanPage(holder)
    })
  })
}
