import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { signInCodes } from '../../../src/db/schema.js'
import { sessionIdFor } from '../../../src/modules/holder/auth/sessions.js'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import {
  Browser,
  beforeEachHolderTest,
  CODE,
  type Outbox,
  SIGN_IN,
  SIGN_OUT,
  csrfTokenIn,
  setCookieLine,
  signedInBrowser,
  uniqueEmail,
  type PageResponse,
} from './support.js'

describeEachBackend('CSRF protection of the holder forms', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  /** A browser that has loaded the sign-in form, with the form's token. */
  async function onSignInPage(): Promise<{ browser: Browser; token: string }> {
    const browser = new Browser(t)
    return { browser, token: csrfTokenIn((await browser.get(SIGN_IN)).text) }
  }

  async function assertRefused(response: PageResponse, browser: Browser): Promise<void> {
    assert.equal(response.status, 403)
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/)
    assert.match(response.text, /<h1>This form has expired<\/h1>/)
    assert.equal(outbox.take().length, 0, 'no code was sent')
    const sessionId = browser.cookies.get('credport_session')
    if (sessionId)
      assert.equal(
        (
          await t.deps.db
            .select()
            .from(signInCodes)
            .where(eq(signInCodes.sessionId, sessionIdFor(sessionId)))
        ).length,
        0,
      )
    else assert.equal(setCookieLine(response, 'credport_session'), undefined, 'a refused form starts no session')
  }

  test('no token → 403, nothing done', async () => {
    const { browser } = await onSignInPage()
    await assertRefused(await browser.post(SIGN_IN, { email: uniqueEmail() }), browser)
  })

  test('a wrong token, or another browser’s → 403', async () => {
    const { browser, token } = await onSignInPage()
    await assertRefused(
      await browser.post(SIGN_IN, { _csrf: `${token.slice(0, -2)}AA`, email: uniqueEmail() }),
      browser,
    )
    await assertRefused(await browser.post(SIGN_IN, { _csrf: '', email: uniqueEmail() }), browser)
    const other = await onSignInPage()
    await assertRefused(await browser.post(SIGN_IN, { _csrf: other.token, email: uniqueEmail() }), browser)
  })

  test('no form cookie and no session → 403, and the refusal starts no session (its page sets a form cookie)', async () => {
    const { token } = await onSignInPage()
    const stranger = new Browser(t)
    const refused = await stranger.post('/holder/open', {
      _csrf: token,
      path: 'batch',
      client_id: 'client',
      content: randomUUID(),
    })
    await assertRefused(refused, stranger)
    assert.equal(stranger.cookies.has('credport_session'), false)
    assert.ok(stranger.cookies.has('credport_form'))
    await assertRefused(
      await stranger.post('/holder/open', { _csrf: token, path: 'batch', client_id: 'client', content: randomUUID() }),
      stranger,
    )
  })

  test('a form shown before the session started still works after it (in another tab); sign-in retires its token', async () => {
    const browser = new Browser(t)
    const earlierTab = csrfTokenIn((await browser.get('/partner/add/batch')).text)
    const signIn = await browser.get(SIGN_IN)
    assert.equal(csrfTokenIn(signIn.text), earlierTab, 'one form cookie for every form shown before the session')
    const email = uniqueEmail()
    const started = await browser.post(SIGN_IN, { _csrf: csrfTokenIn(signIn.text), email })
    assert.equal(started.status, 303)
    assert.equal(
      setCookieLine(started, 'credport_form'),
      'credport_form=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
      'the session took over the form cookie',
    )
    assert.equal(
      csrfTokenIn((await browser.get('/partner/add/batch')).text),
      earlierTab,
      'the earlier tab’s form still works with the session',
    )
    const code = outbox.one().code
    assert.equal((await browser.submit(CODE, CODE, { code })).status, 303)
    const refused = await browser.post(SIGN_OUT, { _csrf: earlierTab })
    assert.equal(refused.status, 403, 'a token from before sign-in no longer works')
    assert.equal((await browser.get('/holder/wallet')).status, 200, 'still signed in')
  })

  test('the right token from a foreign Origin, or a cross-site fetch → 403', async () => {
    const { browser, token } = await onSignInPage()
    await assertRefused(
      await browser.post(SIGN_IN, { _csrf: token, email: uniqueEmail() }, { origin: 'https://evil.example' }),
      browser,
    )
    await assertRefused(
      await browser.post(
        SIGN_IN,
        { _csrf: token, email: uniqueEmail() },
        { origin: 'http://credport.test.evil.example' },
      ),
      browser,
    )
    await assertRefused(
      await browser.post(SIGN_IN, { _csrf: token, email: uniqueEmail() }, { 'sec-fetch-site': 'cross-site' }),
      browser,
    )
    await assertRefused(
      await browser.post(SIGN_IN, { _csrf: token, email: uniqueEmail() }, { 'sec-fetch-site': 'same-site' }),
      browser,
    )
  })

  test('the right token from our origin, or with Origin: null (sent under Referrer-Policy: no-referrer) → accepted', async () => {
    const variants: Array<Record<string, string>> = [
      { origin: 'http://credport.test', 'sec-fetch-site': 'same-origin' },
      { origin: 'null' },
      { origin: new URL(t.baseUrl).origin },
      {},
    ]
    for (const headers of variants) {
      const { browser, token } = await onSignInPage()
      const response = await browser.post(SIGN_IN, { _csrf: token, email: uniqueEmail() }, headers)
      assert.equal(response.status, 303, JSON.stringify(headers))
      assert.equal(outbox.take().length, 1)
    }
  })

  test('a JSON body is held to the same token check', async () => {
    const { browser } = await onSignInPage()
    const response = await browser.request('POST', SIGN_IN, { headers: { 'content-type': 'application/json' } })
    assert.ok(response.status === 403 || response.status === 400, String(response.status))
    assert.equal(outbox.take().length, 0)
  })

  test('the code form and sign-out are protected too', async () => {
    const browser = new Browser(t)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    const { code } = outbox.one()
    assert.equal((await browser.post(CODE, { code })).status, 403)
    assert.equal(
      (await browser.submit(CODE, CODE, { code })).status,
      303,
      'the code was not consumed by the refused try',
    )

    const signedIn = await signedInBrowser(t, outbox)
    const out = await signedIn.browser.post(SIGN_OUT, {})
    assert.equal(out.status, 403)
    assert.equal((await signedIn.browser.get(SIGN_IN)).status, 303, 'still signed in')
  })
})
