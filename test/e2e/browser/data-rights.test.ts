import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, afterEach, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { startTestApp, type TestApp } from '../../support/app.js'
import { readFixture } from '../../support/asset-factory.js'
import { browserSkipReason, Holder, launchChromium } from '../../support/browser.js'
import { backends } from '../../support/databases.js'
import { unzip } from '../../holder/account/support.js'
import {
  assertAccessible,
  assertCleanPage,
  newPartner,
  statusOf,
  submitV1,
  submitV2WithPdf,
  uniqueEmail,
  upload,
} from './support.js'

/**
 * The holder's data rights in Chromium (issue 17 §4): from the wallet to "Your data", download
 * everything (the ZIP the browser saves, unzipped and checked), remove one credential, delete the
 * account; each page checked with axe-core on a phone and a desktop, in English and Thai.
 */

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
/** As screenshots.test.ts: a temporary folder, or docs/screenshots/ with UPDATE_SCREENSHOTS=1 (taken on PGlite only). */
const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots')
    : path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'screenshots')

for (const backend of backends()) {
  describe(`holder data rights in Chromium [${backend}]`, { skip: browserSkipReason() }, () => {
    let t: TestApp | undefined
    let browser: Browser | undefined
    const open: Holder[] = []
    before(async () => {
      ;[t, browser] = await Promise.all([startTestApp(backend), launchChromium()])
    })
    after(async () => {
      await browser?.close()
      await t?.close()
    })
    afterEach(async () => {
      await Promise.all(open.splice(0).map((h) => h.close()))
      t?.clock.advance(61 * 60 * 1000)
    })

    for (const [name, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      it(`download, remove one credential, delete the account (${name}, ${viewport.width} px)`, async () => {
        const app = t!
        const partner = await newPartner(app)
        const withPdf = await submitV2WithPdf(app, partner)
        await upload(app, withPdf, '-asset', 'pdf')
        const holder = await Holder.create(browser!, app, { email: uniqueEmail(`rights.${name}`), viewport })
        open.push(holder)
        const { page } = holder
        const check = async (what: string, shot?: string) => {
          await assertAccessible(page, `${name}: ${what}`)
          const width = await page.evaluate(() => document.documentElement.scrollWidth)
          assert.ok(width <= viewport.width, `${what}: ${width} px wide`)
          if (shot && backend === 'pglite') {
            fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
            const lang = await page.locator('html').getAttribute('lang')
            await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${shot}-${lang}-${name}.png`), fullPage: true })
          }
        }
        await holder.openLink(withPdf.redirectUri)
        await holder.signIn()
        await holder.decide('accept')
        const second = await submitV1(app, partner, { microcredential_name: 'Kept Skill' })
        await holder.openLink(second.redirectUri)
        await holder.decide('accept')

        // From the wallet to "Your data".
        await holder.goto('/holder/wallet')
        await Promise.all([page.waitForURL('**/holder/account'), page.locator('.your-data-link a').click()])
        await check('your data', 'your-data')

        // Download everything: the file the browser saves.
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('form[action="/holder/account/export"] button').click(),
        ])
        assert.match(download.suggestedFilename(), /^credport-export-\d{4}-\d{2}-\d{2}\.zip$/)
        const entries = await unzip(fs.readFileSync((await download.path())!))
        const json = JSON.parse(entries.get('credport-export.json')!.toString())
        assert.equal(json.account.email, holder.email)
        assert.deepEqual(
          json.credentials
            .map((c: { fields: { microcredential_name: string } }) => c.fields.microcredential_name)
            .sort(),
          ['Accessible Web Essentials', 'Kept Skill'],
        )
        const pdf = json.credentials.flatMap(
          (c: { documents: Array<{ file: string; sha256: string }> }) => c.documents,
        )[0]
        const saved = entries.get(pdf.file)!
        assert.ok(saved.equals(readFixture('documents/tiny.pdf')), 'the document as uploaded')
        assert.equal(pdf.sha256, sha256(saved))
        assert.ok(entries.has('README.txt'))

        // Remove one credential: its confirmation, then the notice; the wallet no longer has it.
        const removeLinks = page.locator('a[href^="/holder/account/remove/"]')
        assert.equal(await removeLinks.count(), 2)
        const removed = page.locator('.removable-list li', { hasText: 'Accessible Web Essentials' }).locator('a')
        await Promise.all([page.waitForURL('**/holder/account/remove/*'), removed.click()])
        await check('remove confirmation', 'remove-confirm')
        await Promise.all([
          page.waitForURL('**/holder/account?notice=removed'),
          page.locator('form[action^="/holder/account/remove/"] button').click(),
        ])
        await check('removed notice')
        assert.equal(await removeLinks.count(), 1)
        await holder.goto('/holder/wallet')
        const wallet = await holder.mainText()
        assert.doesNotMatch(wallet, /Accessible Web Essentials/)
        assert.match(wallet, /Kept Skill/)
        const status = await statusOf(app, partner, withPdf.id)
        assert.equal(status.status, 'verified')

        // Delete the account, in Thai: the box must be ticked first (the browser stops the form without it).
        await holder.goto('/holder/account/delete?lang=th')
        await check('delete confirmation (th)', 'delete-account-confirm')
        const button = page.locator('form[action="/holder/account/delete"] button[type=submit]')
        await button.click()
        assert.equal(new URL(page.url()).pathname, '/holder/account/delete')
        assert.equal(
          await page.locator('#confirm').evaluate((box: HTMLInputElement) => box.validity.valueMissing),
          true,
        )
        await page.locator('#confirm').check()
        await Promise.all([page.waitForURL('**/holder/account/deleted?lang=th'), button.click()])
        await check('account deleted (th)', 'account-deleted')
        assert.equal(await page.locator('html').getAttribute('lang'), 'th')
        assert.match(await page.locator('h1').innerText(), /บัญชีของคุณถูกลบแล้ว/)
        assert.equal(await page.locator('header .account').count(), 0, 'signed out')
        await holder.goto('/holder/account/deleted?lang=en')
        assert.match(await page.locator('h1').innerText(), /Your account is deleted/)
        await check('account deleted')
        await holder.goto('/holder/wallet')
        assert.equal(new URL(page.url()).pathname, '/holder/sign-in')
        assertCleanPage(holder)
      })
    }
  })
}
