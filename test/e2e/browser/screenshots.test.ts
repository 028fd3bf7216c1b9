import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { browserSkipReason } from '../../support/browser.js'
import { assertCleanPage, browserSuite, newPartner, submitBatchSample, upload } from './support.js'

/**
 * Screenshots of the holder pages, taken on every run from the real pages: landing, sign-in,
 * code, review of the v2 batch sample, wallet — each on a phone-sized and a desktop viewport.
 * They go to a temporary folder, so a test run leaves the checkout as it was (a new rendering
 * always differs by a few pixels); with UPDATE_SCREENSHOTS=1 they replace docs/screenshots/,
 * the pictures the README shows.
 */

const DOCS_SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots')
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? DOCS_SCREENSHOT_DIR
    : path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'screenshots')

const VIEWPORTS = {
  mobile: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const

/**
 * Waits until every image shown is decoded (lazy ones scrolled to first). Images inside a closed
 * `<details>` are not shown, so not loaded: the pictures show the cards as a holder first sees them.
 */
async function documentsShown(page: Page): Promise<void> {
  for (const element of await page.locator('main img.document-image:visible').all()) {
    await element.scrollIntoViewIfNeeded()
  }
  await page.waitForFunction(() =>
    Array.from(document.querySelectorAll<HTMLImageElement>('main img.document-image'))
      .filter((img) => img.checkVisibility())
      .every((img) => img.complete && img.naturalWidth > 0),
  )
  await page.evaluate(() => window.scrollTo(0, 0))
}

describe('screenshots of the holder pages [pglite]', { skip: browserSkipReason() }, () => {
  const suite = browserSuite()

  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    it(`${name} (${viewport.width}×${viewport.height}): landing, sign-in, code, review of the batch sample, wallet`, async () => {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
      const shot = (page: string) => path.join(SCREENSHOT_DIR, `${page}-${name}.png`)
      const written: string[] = []
      const capture = async (pageName: string, fullPage = false) => {
        const page = holder.page
        if (fullPage) {
          // The whole page in one picture: the viewport as tall as the page.
          const height = await page.evaluate(() => document.documentElement.scrollHeight)
          await page.setViewportSize({ width: viewport.width, height })
          await documentsShown(page)
        }
        await page.screenshot({ path: shot(pageName), animations: 'disabled', caret: 'hide' })
        if (fullPage) await page.setViewportSize(viewport)
        written.push(shot(pageName))
      }

      const t = suite.app()
      const partner = await newPartner(t)
      const submitted = await submitBatchSample(t, partner)
      await upload(t, submitted, '-micro-1-asset', 'pdf')
      await upload(t, submitted, '-micro-2-asset', 'png')
      // An Australian graduate's browser: dates day-month-year, times in Melbourne's zone.
      const holder = await suite.holder('jo.citizen', {
        viewport,
        locale: 'en-AU',
        timezoneId: 'Australia/Melbourne',
        extraHTTPHeaders: { 'Accept-Language': 'en-AU,en;q=0.9' },
      })
      const { page } = holder

      // The landing page posts itself away at once: stop its POST for the one screenshot (an
      // aborted navigation leaves the page as it is), then open the link for real.
      let posted!: () => void
      const handedOff = new Promise<void>((resolve) => (posted = resolve))
      await page.route('**/holder/open', async (route) => {
        await route.abort('aborted')
        posted()
      })
      await page.goto(holder.url(submitted.redirectUri), { waitUntil: 'commit' })
      await handedOff
      await page.waitForFunction(() => document.readyState === 'complete')
      assert.equal(new URL(page.url()).pathname, '/partner/add/batch')
      await capture('landing')
      await page.unroute('**/holder/open')
      await holder.openLink(submitted.redirectUri)

      await page.locator('#email').fill(holder.email)
      await capture('sign-in')
      await page.locator('#email').fill('')
      await holder.signIn({ onCodePage: () => capture('sign-in-code') })
      assert.equal(new URL(page.url()).pathname, '/holder/review')
      assert.equal(await page.locator('main .card').count(), 10)
      await capture('review-batch', true)

      await holder.decide('accept')
      await holder.goto('/holder/wallet')
      await capture('wallet', true)

      for (const file of written) assert.ok(fs.statSync(file).size > 5_000, `${file} looks empty`)
      assertCleanPage(holder)
    })
  }
})
