import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { browserSkipReason, type Holder } from '../../support/browser.js'
import {
  assertAccessible,
  assertCleanPage,
  browserSuite,
  newPartner,
  submitBatchSample,
  submitV1,
  upload,
} from './support.js'

/**
 * The holder pages as one product (issue 16, items 5 and 6): every page passes axe-core with no
 * serious or critical violation on a phone and a desktop, the phone header stays one line, the
 * dark scheme keeps its contrast, a credential prints alone, and the language menu works with
 * the keyboard only.
 */

const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

/** Relative luminance of a CSS `rgb()`/`rgba()` colour (WCAG 2.x). */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)
  const channel = (value: number) => {
    const c = value / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!)
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}
const styleOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => {
      const style = getComputedStyle(el)
      return { color: style.color, background: style.backgroundColor, display: style.display }
    })

/**
 * Every visible text of the page with its colour and the background it sits on (the nearest
 * ancestor with an opaque background): for the contrast check.
 */
function textColours(page: Page): Promise<Array<{ text: string; color: string; background: string }>> {
  // No named inner functions: the test loader (esbuild) would wrap them in a helper the page lacks.
  return page.evaluate(() => {
    const found: Array<{ text: string; color: string; background: string }> = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement
      const text = node.textContent?.trim()
      if (!el || !text || el.closest('[aria-hidden="true"], .visually-hidden, .skip, details:not([open]) > ul'))
        continue
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.height === 0) continue
      let background = getComputedStyle(document.documentElement).backgroundColor
      for (let up: Element | null = el; up; up = up.parentElement) {
        const bg = getComputedStyle(up).backgroundColor
        if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) {
          background = bg
          break
        }
      }
      found.push({ text: text.slice(0, 40), color: getComputedStyle(el).color, background })
    }
    return found
  })
}

/** The landing page for one look: its automatic hand-off (a POST) is stopped once, then the link is opened for real. */
async function checkLanding(holder: Holder, link: string, label: string): Promise<void> {
  const { page } = holder
  let posted!: () => void
  const handedOff = new Promise<void>((resolve) => (posted = resolve))
  await page.route('**/holder/open', async (route) => {
    await route.abort('aborted')
    posted()
  })
  await page.goto(holder.url(link), { waitUntil: 'commit' })
  await handedOff
  await page.waitForFunction(() => document.readyState === 'complete')
  await assertAccessible(page, `${label}: landing`)
  await page.unroute('**/holder/open')
}

describe('holder pages as one product: axe-core, phone header, dark mode, print, keyboard [pglite]', {
  skip: browserSkipReason(),
}, () => {
  const suite = browserSuite()

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    it(`axe-core finds nothing serious on any holder page (${name}, ${viewport.width}×${viewport.height})`, async () => {
      const t = suite.app()
      const partner = await newPartner(t)
      const submitted = await submitBatchSample(t, partner)
      await upload(t, submitted, '-micro-1-asset', 'pdf')
      await upload(t, submitted, '-micro-2-asset', 'png')
      const holder = await suite.holder(`axe.${name}`, { viewport })
      const { page } = holder
      const check = (what: string) => assertAccessible(page, `${name}: ${what}`)

      await checkLanding(holder, submitted.redirectUri, name)
      await holder.openLink(submitted.redirectUri)
      await check('sign-in')
      await holder.signIn({ onCodePage: () => check('code entry').then(() => undefined) })
      await check('review')
      await page.locator('nav.languages summary').click()
      await check('review, language menu open')
      await holder.decide('accept')
      await check('success')
      await holder.goto('/holder/wallet')
      await check('wallet')
      await holder.goto('/holder/wallet?q=nothing-matches-this')
      await check('wallet, no match')
      await holder.goto('/holder/wallet')
      await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').first().click()])
      await check('wallet item')
      assert.equal(await holder.goto('/holder/wallet/00000000-0000-4000-8000-000000000000'), 404)
      await check('wallet item not found')

      const declined = await submitV1(t, partner, { microcredential_name: 'Declined Skill' })
      await holder.openLink(declined.redirectUri)
      await page.getByRole('button', { name: 'Decline' }).click()
      await page.waitForURL('**/holder/review/decision')
      await check('decline confirmation')
      await Promise.all([
        page.waitForURL('**/holder/done'),
        page.locator('form[action="/holder/review/decision/confirm"] button').click(),
      ])
      await check('declined')

      const notFound = await holder.openLink(
        submitted.redirectUri.replace(/clientId=[^&]+/, 'clientId=cpc_someone_else'),
      )
      assert.equal(notFound.status, 404)
      await check('link not found')

      // In Thai: the pages with the longest words.
      await holder.goto('/holder/wallet?lang=th')
      assert.equal(await page.locator('html').getAttribute('lang'), 'th')
      await check('wallet (th)')
      await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').first().click()])
      await check('wallet item (th)')
      assertCleanPage(holder)

      // The check itself: axe did run, and a serious violation fails it (an unlabelled field, grey on grey).
      await page.evaluate(() => {
        const field = document.createElement('input')
        field.id = 'unlabelled'
        document.querySelector('main')!.append(field)
      })
      await assert.rejects(check('a page with an unlabelled field'), /"rule": "label"|rule: 'label'/)
    })
  }

  it('on a phone the header is one line (≤ 64 px), signed out and signed in, in English and Thai; the wallet is short', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('phone.header', { viewport: PHONE })
    const { page } = holder
    const headerHeight = async () => (await page.locator('header.site').boundingBox())!.height

    await holder.openLink(submitted.redirectUri)
    assert.ok((await headerHeight()) <= 64, `signed out: ${await headerHeight()} px`)
    await holder.signIn()
    await holder.decide('accept')
    await holder.goto('/holder/wallet')
    const header = await headerHeight()
    const walletHeight = await page.evaluate(() => document.documentElement.scrollHeight)
    console.log(`# phone 390×844: header ${header} px, wallet page ${walletHeight} px`)
    assert.ok(header <= 64, `signed in: ${header} px`)
    assert.ok(walletHeight < 3000, `the wallet of ten credentials is ${walletHeight} px tall`)
    // Nothing wider than the phone.
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width)
    // The full address is there for screen readers, shortened on screen.
    assert.match(await page.locator('header .who [aria-hidden="true"]').innerText(), /^p…@example\.com$/)
    assert.equal(await page.locator('header .who').getAttribute('title'), holder.email)

    await holder.goto('/holder/wallet?lang=th')
    assert.ok((await headerHeight()) <= 64, `Thai: ${await headerHeight()} px`)
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width)

    // The narrowest phones: no page wider than 320 px in any language, the address left out of the header.
    await page.setViewportSize({ width: 320, height: 640 })
    for (const lang of ['en', 'id', 'th']) {
      for (const path of ['/holder/wallet', '/holder/account', '/holder/share-links/new']) {
        await holder.goto(`${path}?lang=${lang}`)
        const width = await page.evaluate(() => document.documentElement.scrollWidth)
        assert.ok(width <= 320, `${path} in ${lang} at 320 px is ${width} px wide`)
        assert.equal(await page.locator('header .who').isVisible(), false)
      }
    }
    // A credential title of one long word wraps in the share form instead of widening the page.
    await page
      .locator('.share-form label')
      .first()
      .evaluate((label) => {
        label.append(` ${'Pharmacology'.repeat(8)}`)
      })
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= 320, `the share form with a long title is ${width} px wide`)
    assertCleanPage(holder)
  })

  it('dark mode from prefers-color-scheme: a dark page, text contrast ≥ 4.5:1, axe finds no contrast problem', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitBatchSample(t, partner)
    const holder = await suite.holder('dark.mode', { viewport: PHONE, colorScheme: 'dark' })
    const { page } = holder
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    await holder.decide('accept')
    for (const path of ['/holder/done', '/holder/wallet', '/holder/wallet?q=zzz']) {
      await holder.goto(path)
      const body = await styleOf(page, 'body')
      assert.ok(luminance(body.background) < 0.05, `${path}: body background ${body.background} is dark`)
      const pairs = await textColours(page)
      assert.ok(pairs.length > 5, `${path}: ${pairs.length} texts`)
      for (const { text, color, background } of pairs)
        assert.ok(contrast(color, background) >= 4.5, `${path} “${text}”: ${color} on ${background}`)
      await assertAccessible(page, `dark ${path}`)
    }
    await holder.goto('/holder/wallet')
    await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').first().click()])
    await assertAccessible(page, 'dark wallet item')
    // The light scheme is not dark.
    await page.emulateMedia({ colorScheme: 'light' })
    assert.ok(luminance((await styleOf(page, 'body')).background) > 0.8)
    assertCleanPage(holder)
  })

  it('print: a credential alone, black on white — no header, footer, navigation or buttons', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner, { microcredential_name: 'Printable Skill' })
    const holder = await suite.holder('print.holder', { viewport: PHONE, colorScheme: 'dark' })
    const { page } = holder
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    await holder.decide('accept')
    await holder.goto('/holder/wallet')
    await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').click()])

    assert.notEqual((await styleOf(page, 'header.site')).display, 'none')
    await page.emulateMedia({ media: 'print' })
    for (const selector of ['header.site', 'footer.site', 'nav.item-nav', 'header form'])
      assert.equal((await styleOf(page, selector)).display, 'none', `${selector} is not printed`)
    assert.equal(await page.locator('main h1').isVisible(), true)
    assert.match(await page.locator('main').innerText(), /Printable Skill/)
    const body = await styleOf(page, 'body')
    assert.equal(body.background, 'rgb(255, 255, 255)')
    assert.equal((await styleOf(page, 'main h1')).color, 'rgb(0, 0, 0)')
    // What a closed <details> holds is printed too (expandable parts of a card).
    await page.evaluate(() => {
      const details = document.createElement('details')
      details.innerHTML = '<summary>More</summary><p id="inside-details">Folded detail</p>'
      document.querySelector('main')!.append(details)
    })
    assert.equal(await page.locator('#inside-details').isVisible(), true, 'closed details print their content')
    await page.emulateMedia({ media: 'screen' })
    assert.equal(await page.locator('#inside-details').isVisible(), false, 'on screen they stay closed')
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4' })
    assert.ok(pdf.subarray(0, 5).equals(Buffer.from('%PDF-')))
    assertCleanPage(holder)
  })

  it('the language menu works with the keyboard only; the focus ring is the accent colour, outside the element', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner)
    const holder = await suite.holder('keyboard.menu', { viewport: PHONE })
    const { page } = holder
    await holder.openLink(submitted.redirectUri)
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
    const focusedTag = () => page.evaluate(() => document.activeElement?.tagName.toLowerCase())

    // The links of the closed menu are not in the tab order.
    await page.locator('a.skip').focus()
    const stops: string[] = [`${await focusedTag()}|${await focused()}`]
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab')
      stops.push(`${await focusedTag()}|${await focused()}`)
    }
    assert.equal(stops[0], 'a|Skip to content')
    assert.equal(stops[1], 'a|Credport')
    assert.match(stops[2]!, /^summary\|EN/)
    assert.ok(!stops.some((stop) => stop.includes('Bahasa Indonesia')), stops.join(', '))

    // The summary's focus ring: accent colour, offset, not the old amber.
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!)
      return { color: style.outlineColor, offset: style.outlineOffset, style: style.outlineStyle }
    })
    assert.deepEqual(ring, { color: 'rgb(11, 87, 208)', offset: '2px', style: 'solid' })

    // Back to the summary, open with Enter, Tab to Bahasa Indonesia, Enter.
    await page.keyboard.press('Shift+Tab')
    assert.match(await focused(), /^EN/)
    await page.keyboard.press('Enter')
    assert.equal(await page.locator('nav.languages details').getAttribute('open'), '')
    let guard = 0
    while ((await focused()) !== 'Bahasa Indonesia' && guard++ < 5) await page.keyboard.press('Tab')
    assert.equal(await focused(), 'Bahasa Indonesia')
    await Promise.all([page.waitForURL('**/holder/sign-in?lang=id'), page.keyboard.press('Enter')])
    assert.equal(await page.locator('html').getAttribute('lang'), 'id')
    // Opened from a link, the sign-in page's heading says who is asking (in Indonesian now).
    assert.match(await page.locator('main h1').innerText(), / ingin menambahkan 1 kredensial ke dompet Anda$/)
    assert.equal(await page.locator('nav.languages details').getAttribute('open'), null, 'the new page starts closed')
    assertCleanPage(holder)
  })
})
