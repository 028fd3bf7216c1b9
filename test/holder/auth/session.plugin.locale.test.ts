import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { holderSessions, submissions } from '../../../src/db/schema.js'
import { sessionIdFor } from '../../../src/modules/holder/auth/sessions.js'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import {
  Browser,
  beforeEachHolderTest,
  CODE,
  csrfTokenIn,
  makeSubmission,
  type Outbox,
  SIGN_IN,
  setCookieLine,
  uniqueEmail,
} from './support.js'

describeEachBackend('holder page language', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('Accept-Language picks the language: th → Thai page', async () => {
    const page = await new Browser(t, { 'accept-language': 'th-TH,th;q=0.9,en;q=0.5' }).get(SIGN_IN)
    assert.match(page.text, /<html lang="th">/)
    assert.match(page.text, /<h1>เข้าสู่ระบบ<\/h1>/)
    assert.match(page.text, /<label for="email">อีเมล<\/label>/)
    const id = await new Browser(t, { 'accept-language': 'fr, id;q=0.8' }).get(SIGN_IN)
    assert.match(id.text, /<html lang="id">/)
    assert.match(id.text, /<h1>Masuk<\/h1>/)
    assert.match((await new Browser(t, { 'accept-language': 'de-DE' }).get(SIGN_IN)).text, /<html lang="en">/)
  })

  test('?lang=id switches the language, and it stays over Accept-Language', async () => {
    const browser = new Browser(t, { 'accept-language': 'th' })
    const switched = await browser.get(`${SIGN_IN}?lang=id`)
    assert.match(switched.text, /<html lang="id">/)
    assert.match(
      setCookieLine(switched, 'credport_lang') ?? '',
      /^credport_lang=id; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    assert.match((await browser.get(SIGN_IN)).text, /<html lang="id">/)
    // The session, which begins with the sign-in form, takes the choice over.
    assert.equal((await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })).status, 303)
    const [row] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(browser.cookies.get('credport_session')!)))
    assert.equal(row!.locale, 'id', 'the session remembers the choice')
    browser.cookies.delete('credport_lang')
    assert.match((await browser.get(SIGN_IN)).text, /<html lang="id">/, 'kept by the session alone')
  })

  test('?lang= with a session updates the session; the choice survives sign-in and sets the email language', async () => {
    const browser = new Browser(t)
    // Landing on a redirect link starts the session.
    const submissionId = await makeSubmission(t)
    await t.deps.db.update(submissions).set({ redirectPath: 'batch' }).where(eq(submissions.id, submissionId))
    const landing = await browser.get('/partner/add/batch')
    const opened = await browser.post('/holder/open', {
      _csrf: csrfTokenIn(landing.text),
      path: 'batch',
      client_id: 'client',
      content: submissionId,
    })
    assert.equal(opened.location, SIGN_IN)
    assert.ok(browser.cookies.has('credport_session'))
    const thai = await browser.get(`${SIGN_IN}?lang=th`)
    assert.match(thai.text, /<html lang="th">/)
    assert.equal(setCookieLine(thai, 'credport_lang'), undefined, 'a session exists: no language cookie needed')
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    const mail = outbox.one()
    // Opened from a partner's link: the subject names the partner whose credentials these are.
    assert.match(
      mail.subject,
      /^รหัสเข้าสู่ระบบสำหรับข้อมูลรับรองจาก Test partner$/,
      'a partner without display name: its name',
    )
    assert.match(mail.text, /^รหัสเข้าสู่ระบบ Credport ของคุณคือ \d{6}/)
    const codePage = await browser.get(CODE)
    assert.match(codePage.text, /<html lang="th">/)
    assert.match(codePage.text, /<h1>ตรวจสอบอีเมลของคุณ<\/h1>/)
    await browser.submit(CODE, CODE, { code: mail.code })
    const [row] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(browser.cookies.get('credport_session')!)))
    assert.equal(row!.locale, 'th')
  })

  test('an unknown ?lang= is ignored', async () => {
    const page = await new Browser(t, { 'accept-language': 'id' }).get(`${SIGN_IN}?lang=xx`)
    assert.match(page.text, /<html lang="id">/)
    assert.equal(setCookieLine(page, 'credport_lang'), undefined)
  })

  test('the language switch links to this page in each language', async () => {
    const page = await new Browser(t).get(SIGN_IN)
    for (const lang of ['en', 'id', 'th']) assert.ok(page.text.includes(`href="/holder/sign-in?lang=${lang}"`), lang)
  })
})
