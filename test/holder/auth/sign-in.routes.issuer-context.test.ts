import assert from 'node:assert/strict'
import fs from 'node:fs'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { ALL_SCOPES } from '../../../src/modules/oauth/scopes.js'
import { tokenFor } from '../../support/factories.js'
import { freshBatch, parseRedirect, V2_BATCH } from '../../support/intake-helpers.js'
import { Browser, beforeEachHolderTest, CODE, openLink, type Outbox, SIGN_IN, uniqueEmail } from './support.js'

const PNG = fs.readFileSync(new URL('../../fixtures/documents/pixel.png', import.meta.url))

/** A partner registered through the admin API as an operator would, with a logo and a support contact. */
async function universityA(t: TestApp) {
  const created = await t.request('POST', '/api/admin/partners', {
    token: t.deps.adminToken,
    json: {
      name: 'uni-a',
      display_name: 'University A',
      support_contact: 'credentials@uni-a.example',
      scopes: [...ALL_SCOPES],
    },
  })
  assert.equal(created.status, 201, created.text)
  await t.request('PATCH', `/api/admin/partners/${created.body.partner_id}`, {
    token: t.deps.adminToken,
    json: { display_name: 'University A' },
  })
  const logo = await t.request('PUT', `/api/admin/partners/${created.body.partner_id}/logo`, {
    token: t.deps.adminToken,
    body: PNG,
    headers: { 'content-type': 'image/png' },
  })
  assert.equal(logo.status, 200, logo.text)
  return { client: created.body, logoUrl: logo.body.logo.url as string }
}

/** The sample batch (ten credentials, all for "John Doe") sent by `client`, opened in a new browser. */
async function openedLink(t: TestApp, client: { client_id: string; client_secret: string }, language: string) {
  const token = await tokenFor(t, { ...client, partner_id: '', scopes: [] })
  const { body } = freshBatch()
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  const link = parseRedirect(created.body.redirect_uri)
  const browser = new Browser(t, { 'accept-language': language })
  const opened = await openLink(browser, link)
  assert.equal(opened.location, SIGN_IN)
  return { browser, count: 10 }
}

const WANTS: Record<string, (n: number) => string> = {
  en: (n) => `University A wants to add ${n} credentials to your wallet`,
  id: (n) => `University A ingin menambahkan ${n} kredensial ke dompet Anda`,
  th: (n) => `University A ต้องการเพิ่มข้อมูลรับรอง ${n} รายการลงในกระเป๋าของคุณ`,
}
const NEXT: Record<string, string> = { en: 'What happens next', id: 'Langkah berikutnya', th: 'ขั้นตอนถัดไป' }
const SUBJECT: Record<string, string> = {
  en: 'Your sign-in code for University A’s credentials',
  id: 'Kode masuk Anda untuk kredensial dari University A',
  th: 'รหัสเข้าสู่ระบบสำหรับข้อมูลรับรองจาก University A',
}

describeEachBackend('sign-in pages: who is asking, before the email', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  for (const language of ['en', 'id', 'th']) {
    test(`${language}: the issuer's name, logo and the count, then what happens next, then the email form; nothing personal`, async () => {
      const { client, logoUrl } = await universityA(t)
      const { browser, count } = await openedLink(t, client, language)
      const page = await browser.get(SIGN_IN)
      assert.equal(page.status, 200)
      const html = page.text
      assert.match(html, new RegExp(`<html lang="${language}">`))
      const heading = html.indexOf(`<h1 id="issuer-heading">${WANTS[language]!(count)}</h1>`)
      assert.ok(heading > 0, 'the heading names the issuer and the count')
      const logo = html.indexOf(`<img class="issuer-logo" src="${logoUrl}" alt width="64"`)
      assert.ok(logo > 0 && logo < heading, 'the logo stands beside the heading')
      const next = html.indexOf(NEXT[language]!)
      const form = html.indexOf('<form method="post" action="/holder/sign-in"')
      assert.ok(heading < next && next < form, 'who is asking and what happens next come before the email form')
      assert.equal((html.match(/<li>/g) ?? []).length >= 3, true)
      assert.match(html, /<a href="mailto:credentials@uni-a\.example" rel="noopener noreferrer">/)
      // Nothing about the holder: not the name every credential carries, no address, no credential content.
      for (const personal of ['John Doe', 'John', '@example.com', 'Bachelor'])
        assert.ok(!html.includes(personal), `${personal} shown before sign-in`)
      // The page may show the logo (same origin), and the logo is there.
      assert.match(page.headers.get('content-security-policy') ?? '', /img-src 'self'/)
      const image = await fetch(new URL(logoUrl, t.baseUrl))
      assert.equal(image.status, 200)
      assert.equal(image.headers.get('content-type'), 'image/png')

      // The mail names the issuer in its subject, in the holder's language.
      const email = uniqueEmail()
      const sent = await browser.submit(SIGN_IN, SIGN_IN, { email })
      assert.equal(sent.location, CODE)
      const mail = outbox.one()
      assert.equal(mail.subject, SUBJECT[language])
      assert.match(mail.text, new RegExp(`\\n {4}${mail.code}\\n`))
      assert.ok(mail.text.includes('University A'))

      // The code page says what this sign-in is for (the address it shows is masked).
      const codePage = await browser.get(CODE)
      assert.match(codePage.text, /<p class="issuer-line"><img class="issuer-logo"/)
      assert.ok(!codePage.text.includes(email))
    })
  }

  test('one credential: "1 credential"; a resent code names the issuer too', async () => {
    const { client } = await universityA(t)
    const token = await tokenFor(t, { ...client, partner_id: '', scopes: [] })
    const { body: batch } = freshBatch()
    const body = { credential_id: batch.credential_id, digital_identity: batch.digital_identity }
    const created = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(created.status, 201, created.text)
    const link = parseRedirect(created.body.redirect_uri)
    const browser = new Browser(t)
    await openLink(browser, link)
    const page = await browser.get(SIGN_IN)
    assert.match(page.text, /University A wants to add 1 credential to your wallet</)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    outbox.one()
    t.clock.advance(61_000)
    const resent = await browser.submit(CODE, '/holder/sign-in/resend', {})
    assert.equal(resent.status, 303)
    assert.equal(outbox.one().subject, SUBJECT.en)
  })

  test('no link opened: the plain sign-in page, and the plain subject', async () => {
    const browser = new Browser(t)
    const page = await browser.get(SIGN_IN)
    assert.match(page.text, /<h1>Sign in<\/h1>/)
    assert.doesNotMatch(page.text, /issuer-intro|issuer-logo/)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    assert.equal(outbox.one().subject, 'Your Credport sign-in code')
  })

  test('an expired link: no issuer context any more', async () => {
    const { client } = await universityA(t)
    const { browser } = await openedLink(t, client, 'en')
    t.clock.advance(49 * 3600_000)
    const page = await browser.get(SIGN_IN)
    assert.match(page.text, /<h1>Sign in<\/h1>/)
    assert.doesNotMatch(page.text, /University A/)
  })
})
