import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { expireSubmissions } from '../../../src/modules/submissions/index.js'
import { browserSkipReason } from '../../support/browser.js'
import { latestSignInCode, mailsTo } from '../../support/outbox.js'
import { assertCleanPage, browserSuite, newPartner, statusOf, submitV1, submitV2WithPdf, upload } from './support.js'

/** Expired links, hostile partner data, keyboard-only use and the page language, in a real browser. */

const HOUR = 3600 * 1000
const SCRIPT_TAG = '<script>window.__xss=1</script>'
const ATTRIBUTE_BREAK = '"><img src=x onerror=window.__xss=1>'

describe('holder pages in Chromium: expiry, hostile data, keyboard, language [pglite]', {
  skip: browserSkipReason(),
}, () => {
  const suite = browserSuite()

  it('an expired link shows the expired page, before and after the expiry job; so does a review left open', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const unopened = await submitV1(t, partner, { microcredential_name: 'Never Opened' })
    const reviewed = await submitV1(t, partner, { microcredential_name: 'Left Open' })
    // This holder signs in 47 hours later and is still on the review page when the 48 hours are up.
    t.clock.advance(47 * HOUR)
    const slow = await suite.holder('slow.holder')
    await slow.openLink(reviewed.redirectUri)
    await slow.signIn()
    assert.equal(new URL(slow.page.url()).pathname, '/holder/review')
    assert.match(await slow.mainText(), /Left Open/)

    t.clock.advance(HOUR + 60_000)

    const holder = await suite.holder('late.holder')
    const expiredPage = async (link: string) => {
      const landed = await holder.openLink(link)
      assert.equal(landed.status, 410, `${landed.url} answered ${landed.status}`)
      assert.equal(await holder.page.locator('main h1').innerText(), 'This link has expired')
      assert.match(await holder.mainText(), /48 hours/)
      assert.equal(await holder.page.locator('form[action="/holder/review/decision"]').count(), 0)
    }
    await expiredPage(unopened.redirectUri)
    assert.equal((await statusOf(t, partner, unopened.id)).status, 'canceled')

    assert.equal(await slow.page.reload().then((r) => r?.status()), 410)
    assert.equal(await slow.page.locator('main h1').innerText(), 'This link has expired')
    assert.doesNotMatch(await slow.mainText(), /Left Open/)

    assert.ok((await expireSubmissions(t.deps, { limit: 10 })) >= 2)
    await expiredPage(unopened.redirectUri)
    assert.equal(await slow.page.reload().then((r) => r?.status()), 410)
    assert.equal(await slow.page.locator('main h1').innerText(), 'This link has expired')
    for (const id of [unopened.id, reviewed.id]) assert.equal((await statusOf(t, partner, id)).status, 'canceled')
    assertCleanPage(holder)
    assertCleanPage(slow)
  })

  it('a link with a wrong client id shows the not-found page; without JavaScript the landing page says why it cannot go on', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner)
    const holder = await suite.holder('lost.holder')
    const landed = await holder.openLink(submitted.redirectUri.replace(/clientId=[^&]+/, 'clientId=cpc_someone_else'))
    assert.deepEqual([new URL(landed.url).pathname, landed.status], ['/holder/open', 404])
    assert.equal(await holder.page.locator('main h1').innerText(), 'We could not find this request')
    assertCleanPage(holder)

    const noScript = await suite.holder('noscript.holder', { javaScriptEnabled: false })
    assert.equal(await noScript.goto(submitted.redirectUri), 200)
    assert.equal(
      new URL(noScript.page.url()).pathname,
      '/partner/add/microcredential',
      'nothing is handed off without the script',
    )
    assert.match(await noScript.mainText(), /needs JavaScript to read the link/)
    assert.equal((await statusOf(t, partner, submitted.id)).opened_at, null)
  })

  it('hostile field values are shown as text on the review, wallet and credential pages; no script runs, no CSP violation', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner, {
      full_name: `Jo ${SCRIPT_TAG}`,
      microcredential_name: `Skill ${ATTRIBUTE_BREAK}`,
      issuer_name: `Issuer ${SCRIPT_TAG}`,
      assessment_result: ATTRIBUTE_BREAK,
    })
    const holder = await suite.holder('xss.holder')
    await holder.openLink(submitted.redirectUri)
    await holder.signIn()
    const page = holder.page

    const check = async (where: string) => {
      const text = await holder.mainText()
      assert.ok(text.includes(SCRIPT_TAG), `${where}: the script tag is shown as text`)
      assert.ok(text.includes(ATTRIBUTE_BREAK), `${where}: the attribute break is shown as text`)
      assert.equal(await page.locator('main .card .title').innerText(), `Skill ${ATTRIBUTE_BREAK}`)
      assert.equal(
        await page.evaluate(() => (window as { __xss?: unknown }).__xss),
        undefined,
        `${where}: no injected script ran`,
      )
      assert.equal(await page.locator('img[src="x"], main script').count(), 0, `${where}: no element was injected`)
      // The credential's page is titled with the credential's name: the markup shows there as text.
      if (where === 'wallet item') assert.equal(await page.title(), `Skill ${ATTRIBUTE_BREAK} · Credport`)
      else assert.doesNotMatch(await page.title(), /<|script/)
    }
    await check('review')
    await holder.decide('accept')
    await holder.goto('/holder/wallet')
    assert.equal(await page.locator('main .row-title').innerText(), `Skill ${ATTRIBUTE_BREAK}`)
    assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined)
    await Promise.all([page.waitForURL('**/holder/wallet/*'), page.locator('main .row-title').click()])
    await check('wallet item')
    assertCleanPage(holder)
  })

  it('keyboard only: sign-in, review and acceptance with Tab, Enter and typing', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV2WithPdf(t, partner)
    await upload(t, submitted, '-asset', 'pdf')
    const holder = await suite.holder('keyboard.holder')
    const { page } = holder
    const keyboard = page.keyboard
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement
        return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}|${(el.textContent ?? '').trim()}` : ''
      })
    /** Tabs until the focused element matches, failing after `max` presses (so a focus trap fails the test). */
    const tabTo = async (pattern: RegExp, max = 60) => {
      const seen: string[] = []
      for (let i = 0; i < max; i++) {
        await keyboard.press('Tab')
        const now = await focused()
        seen.push(now)
        if (pattern.test(now)) return seen
      }
      assert.fail(`no ${pattern} after ${max} Tabs; focus went through:\n${seen.join('\n')}`)
    }
    /** Presses Enter and waits for `path`; when it does not come, says where the page and the focus are instead. */
    const enterAndWait = async (path: string) => {
      const on = await focused()
      try {
        await Promise.all([page.waitForURL(`**${path}`), keyboard.press('Enter')])
      } catch (error) {
        assert.fail(
          `Enter on ${on} did not lead to ${path}: the page is at ${page.url()} with the focus on ${await focused().catch(() => '?')} (${(error as Error).message.split('\n')[0]})`,
        )
      }
    }

    await holder.openLink(submitted.redirectUri)
    assert.equal(new URL(page.url()).pathname, '/holder/sign-in')
    assert.equal(await focused(), 'input#email|', 'the address field has the focus')
    await keyboard.type(holder.email)
    await enterAndWait('/holder/sign-in/code')
    assert.equal(await focused(), 'input#code|', 'the code field has the focus')
    const { code } = await latestSignInCode(t, holder.email)
    await keyboard.type(code)
    await enterAndWait('/holder/review')

    // The first stop skips to the content; the framed PDF (whose viewer has controls of its own
    // when it has loaded) does not trap the focus on the way to the decision.
    assert.match((await tabTo(/./))[0]!, /^a\|Skip to content$/)
    await tabTo(/^button\|Accept 1 credential$/)
    await enterAndWait('/holder/review/decision')
    await tabTo(/^button\|Yes, add to my wallet$/)
    await enterAndWait('/holder/done')
    await tabTo(/^a\|Open my wallet$/)
    await enterAndWait('/holder/wallet')
    assert.deepEqual(await page.locator('main .row-title').allInnerTexts(), ['Accessible Web Essentials'])
    assert.equal((await statusOf(t, partner, submitted.id)).status, 'verified')
    assertCleanPage(holder)
  })

  it('language: Thai from Accept-Language, the switch changes to Indonesian, and the choice sticks through sign-in', async () => {
    const t = suite.app()
    const partner = await newPartner(t)
    const submitted = await submitV1(t, partner)
    const holder = await suite.holder('thai.holder', { locale: 'th-TH', extraHTTPHeaders: { 'Accept-Language': 'th' } })
    const { page } = holder
    const lang = () => page.locator('html').getAttribute('lang')

    await holder.openLink(submitted.redirectUri)
    assert.equal(await lang(), 'th')
    assert.match(await page.locator('main h1').innerText(), /ต้องการเพิ่มข้อมูลรับรอง 1 รายการลงในกระเป๋าของคุณ$/)
    assert.match(await holder.mainText(), /[\u0E00-\u0E7F]{4}/)
    assert.doesNotMatch(await holder.mainText(), /Sign in|email address/i)
    assert.equal(await page.locator('nav.languages a[aria-current="true"]').textContent(), 'ไทย')

    await page.locator('nav.languages summary').click()
    await Promise.all([
      page.waitForURL('**/holder/sign-in?lang=id'),
      page.locator('nav.languages a[hreflang="id"]').click(),
    ])
    assert.equal(await lang(), 'id')
    assert.match(await page.locator('main h1').innerText(), /ingin menambahkan 1 kredensial ke dompet Anda$/)
    assert.equal(await page.locator('nav.languages a[aria-current="true"]').textContent(), 'Bahasa Indonesia')

    await holder.signIn()
    assert.match(
      mailsTo(t, holder.email).at(-1)!.text,
      /^Kode masuk Credport Anda adalah \d{6}\./,
      'the code is emailed in the chosen language',
    )
    assert.equal(new URL(page.url()).pathname, '/holder/review')
    assert.equal(await lang(), 'id', 'the chosen language outlives the session rotation at sign-in')
    assert.match(await page.locator('main h1').innerText(), /ingin menambahkan 1 kredensial ke dompet Anda/)
    assert.equal(await page.getByRole('button', { name: 'Terima 1 kredensial' }).count(), 1)
    assertCleanPage(holder)
  })
})
