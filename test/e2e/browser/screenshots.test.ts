import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { uploadLogo } from '../../../src/modules/admin/partner-logo.js'
import { browserSkipReason } from '../../support/browser.js'
import { assertCleanPage, browserSuite, newPartner, submitBatchSample, submitV1, upload } from './support.js'

/**
 * Screenshots of every holder page, taken on every run from the real pages, in each interface
 * language and at a phone's and a desktop's width: one holder journey per language (landing,
 * sign-in, code, review of the v2 batch sample (its first screen, and whole), success, wallet, a
 * wallet credential, decline confirmation, declined, a link not found, an expired link), each page
 * captured at both widths by resizing the viewport. Files are `<page>-<lang>-<width>.png`. They go to a temporary folder, so
 * a test run leaves the checkout as it was (a new rendering always differs by a few pixels); with
 * UPDATE_SCREENSHOTS=1 they replace docs/screenshots/, the pictures the README shows.
 */

const DOCS_SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots')
export const SCREENSHOT_DIR =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? DOCS_SCREENSHOT_DIR
    : path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'screenshots')

const WIDTHS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
} as const
type Width = keyof typeof WIDTHS

/** Each language as a person in its market would browse: language, date locale and time zone. */
const LANGUAGES = {
  en: { locale: 'en-AU', timezoneId: 'Australia/Melbourne', acceptLanguage: 'en-AU,en;q=0.9' },
  id: { locale: 'id-ID', timezoneId: 'Asia/Jakarta', acceptLanguage: 'id-ID,id;q=0.9' },
  th: { locale: 'th-TH', timezoneId: 'Asia/Bangkok', acceptLanguage: 'th-TH,th;q=0.9' },
} as const

/** The issuer's logo: a plain mark, so the pictures show where a university's logo goes. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="12" fill="#1d4e89"/><path d="M32 12 52 22v4H12v-4zM16 30h6v16h-6zm13 0h6v16h-6zm13 0h6v16h-6zM12 50h40v4H12z" fill="#fff"/></svg>`

const HOUR = 60 * 60 * 1000

/**
 * Waits until every image shown is decoded (lazy ones scrolled to first), when the whole page is
 * captured, or those in the viewport otherwise. Images inside a closed `<details>` are not shown,
 * so not loaded: the pictures show the cards as a holder first sees them.
 */
async function imagesShown(page: Page, wholePage: boolean): Promise<void> {
  if (wholePage) {
    for (const element of await page.locator('main img:visible').all()) await element.scrollIntoViewIfNeeded()
    await page.evaluate(() => window.scrollTo(0, 0))
  }
  await page.waitForFunction(
    (all) =>
      Array.from(document.images)
        .filter((img) => img.checkVisibility())
        .filter((img) => all || img.getBoundingClientRect().top < window.innerHeight)
        .every((img) => img.complete && img.naturalWidth > 0),
    wholePage,
  )
}

describe('screenshots of every holder page, phone and desktop, in English, Indonesian and Thai [pglite]', {
  skip: browserSkipReason(),
}, () => {
  const suite = browserSuite()

  for (const [lang, language] of Object.entries(LANGUAGES)) {
    it(`${lang}: landing, sign-in, code, review, consent, success, wallet (one revoked), credential, decline, declined, not found, expired, withdrawn`, async () => {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true })
      const written: string[] = []
      /** The page as it is now, at both widths; `wholePage` widths at the page's full height. */
      const capture = async (pageName: string, wholePage: readonly Width[] = []) => {
        assert.equal(await page.locator('html').getAttribute('lang'), lang, `${pageName} is in ${lang}`)
        for (const [width, viewport] of Object.entries(WIDTHS) as Array<[Width, (typeof WIDTHS)[Width]]>) {
          await page.setViewportSize(viewport)
          const whole = wholePage.includes(width)
          if (whole) {
            // The whole page in one picture: the viewport as tall as the page (lazy images load).
            const height = await page.evaluate(() => document.documentElement.scrollHeight)
            await page.setViewportSize({ width: viewport.width, height })
          }
          await imagesShown(page, whole)
          const file = path.join(SCREENSHOT_DIR, `${pageName}-${lang}-${width}.png`)
          await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' })
          written.push(file)
        }
        await page.setViewportSize(WIDTHS.phone)
      }

      const t = suite.app()
      const partner = await newPartner(t, {
        displayName: 'Example University',
        supportContact: 'credentials@example.edu',
      })
      await uploadLogo(t.deps, partner.client.partner_id, 'image/svg+xml', Buffer.from(LOGO))
      const submitted = await submitBatchSample(t, partner)
      await upload(t, submitted, '-micro-1-asset', 'pdf')
      await upload(t, submitted, '-micro-2-asset', 'png')
      const holder = await suite.holder(`jo.citizen.${lang}`, {
        viewport: WIDTHS.phone,
        locale: language.locale,
        timezoneId: language.timezoneId,
        extraHTTPHeaders: { 'Accept-Language': language.acceptLanguage },
      })
      const { page } = holder

      // The landing page posts itself away at once: stop its POST for the screenshots (an
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

      // Sign-in: who is asking (name, logo), before any email is asked for.
      await page.locator('#email').fill(holder.email)
      await capture('sign-in')
      await page.locator('#email').fill('')
      await holder.signIn({ onCodePage: () => capture('sign-in-code') })
      assert.equal(new URL(page.url()).pathname, '/holder/review')
      // What the holder sees first (summary and decision), then the whole page (the compact cards).
      await capture('review')
      await capture('review-full', ['phone', 'desktop'])

      // Per-item consent: one credential unticked, the confirmation says what is accepted and declined.
      await page.getByRole('checkbox').last().uncheck()
      await Promise.all([page.waitForURL('**/holder/review/decision'), page.locator('#accept-form button').click()])
      await capture('consent-confirm')
      await Promise.all([
        page.waitForURL('**/holder/done'),
        page.locator('form[action="/holder/review/decision/confirm"] button').click(),
      ])
      await capture('accepted')
      // The issuer revokes one accepted credential: it stays in the wallet, marked.
      const revoked = await t.request('POST', `/api/partner/v2/credentials/${submitted.id}-edu-1/revoke`, {
        json: { reason: 'Issued in error: the degree was conferred in 2025, not 2024.' },
        token: await partner.token(),
      })
      assert.equal(revoked.status, 200, revoked.text)
      await holder.goto('/holder/wallet')
      await capture('wallet')
      await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').first().click()])
      await capture('wallet-credential', ['phone'])

      // A second request, declined.
      const declined = await submitV1(t, partner, { microcredential_name: 'Data Literacy Foundations' })
      await holder.openLink(declined.redirectUri)
      await Promise.all([
        page.waitForURL('**/holder/review/decision'),
        page.locator('form[action="/holder/review/decision"]:has(input[name=decision][value=decline]) button').click(),
      ])
      await capture('decline-confirm')
      await Promise.all([
        page.waitForURL('**/holder/done'),
        page.locator('form[action="/holder/review/decision/confirm"] button').click(),
      ])
      await capture('declined')

      // A request its issuer withdrew before the holder decided.
      const withdrawn = await submitV1(t, partner, { microcredential_name: 'Sent By Mistake' })
      const withdrawal = await t.request('DELETE', `/api/partner/v2/add/requests/${withdrawn.id}`, {
        token: await partner.token(),
      })
      assert.equal(withdrawal.status, 200, withdrawal.text)
      await holder.openLink(withdrawn.redirectUri)
      await capture('link-withdrawn')

      // Links that lead nowhere: another client's link, and one opened after 48 hours.
      const notFound = await holder.openLink(
        submitted.redirectUri.replace(/clientId=[^&]+/, 'clientId=cpc_someone_else'),
      )
      assert.equal(notFound.status, 404)
      await capture('link-not-found')
      const late = await submitV1(t, partner, { microcredential_name: 'Opened Too Late' })
      t.clock.advance(49 * HOUR)
      const expired = await holder.openLink(late.redirectUri)
      assert.equal(expired.status, 410)
      await capture('link-expired')

      for (const file of written) assert.ok(fs.statSync(file).size > 5_000, `${file} looks empty`)
      assertCleanPage(holder)
    })
  }
})
