import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { browserSkipReason } from '../../support/browser.js'
import { assertAccessible, assertCleanPage, browserSuite, newPartner, submitBatchSample, upload } from './support.js'

/**
 * Share links in Chromium (issue 17 §2): a holder makes a link from the wallet, a verifier opens
 * it in another browser context without cookies, its JSON verifies with jose against the JWK
 * Set, the holder revokes it and the verifier then meets a 410. Every page passes axe-core on a
 * phone and a desktop, in English and Thai.
 */

/** Pictures of the share pages: a temporary folder, or docs/screenshots/ with UPDATE_SCREENSHOTS=1 (as screenshots.test.ts). */
const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots')
    : path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'screenshots')

async function shoot(page: Page, name: string, width: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-en-${width}.png`), fullPage: width === 'phone' })
}

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

describe('share links in the browser [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`create from the wallet, open without cookies, verify the JWS, revoke → 410; axe-clean (${name})`, async () => {
      const t = suite.app()
      const partner = await newPartner(t)
      const submitted = await submitBatchSample(t, partner)
      await upload(t, submitted, '-micro-1-asset', 'pdf')
      const holder = await suite.holder(`share.${name}`, { viewport })
      const { page } = holder
      const check = (what: string) => assertAccessible(page, `${name}: ${what}`)
      await holder.openLink(submitted.redirectUri)
      await holder.signIn()
      await holder.decide('accept')

      await holder.goto('/holder/wallet')
      await Promise.all([
        page.waitForURL('**/holder/share-links/new'),
        page.getByRole('link', { name: 'Share credentials' }).click(),
      ])
      await check('new share link')
      await shoot(page, 'share-new', name)
      // Sent without a credential: the problem is listed at the top, linked to the first box, and
      // written again beside the boxes, which name it.
      await page.getByLabel('Label', { exact: true }).fill('Application to Acme')
      await page.getByRole('button', { name: 'Create link' }).click()
      const summary = page.getByRole('alert')
      await summary.waitFor()
      await check('new share link, with a problem')
      await shoot(page, 'share-problem', name)
      await summary.getByRole('link', { name: 'Select at least one credential.' }).click()
      const firstBox = page.locator('input[name=item]').first()
      assert.equal(new URL(page.url()).hash, `#${await firstBox.getAttribute('id')}`)
      assert.equal(await firstBox.getAttribute('aria-invalid'), 'true')
      assert.ok(await firstBox.isVisible())
      assert.equal(await page.locator('#items-error').textContent(), 'Select at least one credential.')
      assert.equal(await page.getByLabel('Label', { exact: true }).inputValue(), 'Application to Acme', 'kept')
      await holder.goto('/holder/share-links/new')
      const boxes = page.locator('input[name=item]')
      assert.equal(await boxes.count(), 10)
      for (const index of [0, 4, 5]) await boxes.nth(index).check()
      await page.getByLabel('Label', { exact: true }).fill('Application to Acme')
      await page.getByLabel('7 days').check()
      await page.getByLabel('Include the documents (certificates, transcripts)').check()
      await Promise.all([
        page.waitForURL('**/holder/share-links'),
        page.getByRole('button', { name: 'Create link' }).click(),
      ])
      await check('share link created')
      await shoot(page, 'share-created', name)
      const url = await page.locator('#share-url').inputValue()
      assert.match(url, /\/s\/[A-Za-z0-9_-]{43}$/)
      // The Copy button (shown by its script) puts the link on the clipboard and says so.
      await holder.context.grantPermissions(['clipboard-read', 'clipboard-write'])
      await page.getByRole('button', { name: 'Copy link' }).click()
      await page.locator('#copy-status', { hasText: 'The link is copied.' }).waitFor()
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url)
      assert.ok(await page.locator('.qr svg').isVisible(), 'the QR code is shown')
      await holder.goto('/holder/share-links')
      await check('share links')

      // The verifier: another browser context, no cookies, no account.
      const verifier = await suite.holder(`verifier.${name}`, { viewport })
      assert.equal(await verifier.goto(url), 200)
      assert.equal((await verifier.context.cookies()).length, 0)
      // The wordmark is no link to a wallet the verifier has not got.
      assert.equal(await verifier.page.locator('header.site a.brand').count(), 0)
      assert.equal(await verifier.page.locator('header.site .brand').count(), 1)
      await assertAccessible(verifier.page, `${name}: share page`)
      await shoot(verifier.page, 'share-page', name)
      const main = await verifier.mainText()
      assert.match(main, /Credentials of /)
      assert.equal(await verifier.page.locator('main article.card').count(), 3)
      assert.match(main, /Submitted directly by .+ to Credport on /)
      assert.match(main, /What Credport vouches for, and what it does not/)
      await verifier.page.locator('main details.more').first().locator('summary').click()
      await assertAccessible(verifier.page, `${name}: share page, details open`)
      assert.equal(await verifier.goto(`${url}?lang=th`), 200)
      await assertAccessible(verifier.page, `${name}: share page (th)`)

      const jws = await fetch(verifier.url(url), { headers: { accept: 'application/json' } })
      assert.equal(jws.headers.get('content-type'), 'application/jose')
      const keys = createRemoteJWKSet(new URL('/.well-known/jwks.json', t.baseUrl))
      const { payload } = await jwtVerify(await jws.text(), keys, {
        issuer: t.config.publicUrl,
        currentDate: t.clock.now(),
      })
      assert.equal((payload.credentials as unknown[]).length, 3)

      // Revoke, with a confirmation.
      await holder.goto('/holder/share-links')
      await Promise.all([
        page.waitForURL('**/revoke'),
        page.getByRole('link', { name: 'Revoke “Application to Acme”' }).click(),
      ])
      await check('revoke confirmation')
      await Promise.all([
        page.waitForURL('**/holder/share-links?revoked=*'),
        page.getByRole('button', { name: 'Revoke the link' }).click(),
      ])
      assert.match(await holder.mainText(), /is revoked/)
      await check('share links after revoking')
      await shoot(page, 'share-links', name)

      assert.equal(await verifier.goto(`${url}?lang=en`), 410)
      assert.match(await verifier.mainText(), /This link is not available/)
      await assertAccessible(verifier.page, `${name}: share link gone`)
      await shoot(verifier.page, 'share-gone', name)
      // The holder's pages in Thai (the longest words).
      await holder.goto('/holder/share-links?lang=th')
      await check('share links (th)')
      await holder.goto('/holder/share-links/new')
      await check('new share link (th)')
      assertCleanPage(holder)
      assertCleanPage(verifier)
    })
  }
})
