import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { eq, sql } from 'drizzle-orm'
import { holderSessions, holders, submissions } from '../../../src/db/schema.js'
import { csrfTokenFor } from '../../../src/modules/holder/auth/csrf.js'
import { SIGN_IN_RULES } from '../../../src/modules/holder/auth/sign-in-codes.js'
import { sessionIdFor, setPendingSubmission } from '../../../src/modules/holder/auth/sessions.js'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import {
  Browser,
  beforeEachHolderTest,
  CODE,
  type Outbox,
  RESEND,
  SIGN_IN,
  SIGN_OUT,
  csrfTokenIn,
  makeSubmission,
  setCookieLine,
  signedInBrowser,
  uniqueEmail,
} from './support.js'

const COOKIE = 'credport_session'

describeEachBackend('holder sign-in pages', (use) => {
  let t: TestApp
  let outbox: Outbox
  beforeEachHolderTest(use, (app, mail) => {
    t = app
    outbox = mail
  })

  test('GET /holder/sign-in: an accessible email form bound to a form cookie; it stores nothing, and the session cookie (HttpOnly, SameSite=Lax, Path=/, not Secure on http) comes with the form', async () => {
    const countSessions = () => t.deps.db.$count(holderSessions)
    const sessionsBefore = await countSessions()
    const browser = new Browser(t)
    const page = await browser.get(SIGN_IN)
    assert.equal(page.status, 200)
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/)
    assert.equal(page.headers.get('cache-control'), 'no-store')
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self'/)
    assert.match(page.text, /<html lang="en">/)
    assert.match(page.text, /<label for="email">Email address<\/label>/)
    assert.match(
      page.text,
      /<input type="email" id="email" name="email" autocomplete="email"[^>]* required autofocus[^>]*aria-describedby="email-hint"/,
    )
    assert.match(
      page.text,
      /<form method="post" action="\/holder\/sign-in" class="stack"><input type="hidden" name="_csrf" value="[\w-]{43}"\/>/,
    )
    assert.doesNotMatch(page.text, /<script|style=/)
    assert.equal(setCookieLine(page, COOKIE), undefined)
    assert.match(
      setCookieLine(page, 'credport_form') ?? '',
      /^credport_form=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    for (let i = 0; i < 3; i++) await new Browser(t).get(SIGN_IN)
    assert.equal(await countSessions(), sessionsBefore, 'anyone may load the page: it fills no table')
    const posted = await browser.post(SIGN_IN, { _csrf: csrfTokenIn(page.text), email: uniqueEmail() })
    assert.equal(posted.status, 303)
    assert.match(
      setCookieLine(posted, COOKIE) ?? '',
      new RegExp(`^${COOKIE}=[\\w-]{43}; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax$`),
    )
    assert.equal(
      setCookieLine(posted, 'credport_form'),
      'credport_form=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax',
      'the session took the form cookie over',
    )
    assert.equal(await countSessions(), sessionsBefore + 1)
  })

  test('a refused sign-in request stores no session, even with a form cookie of its own making; one IP address starts at most as many as it may get codes', async () => {
    const countSessions = () => t.deps.db.$count(holderSessions)
    const before = await countSessions()
    /** A browser that never loaded a page: it makes up its form cookie and computes the token. */
    const forged = (email: string) => {
      const secret = randomBytes(32).toString('base64url')
      const browser = new Browser(t)
      browser.cookies.set('credport_form', secret)
      return browser.post(SIGN_IN, { _csrf: csrfTokenFor({ csrfSecret: secret }), email })
    }
    for (let i = 0; i < 5; i++) assert.equal((await forged('not-an-email')).status, 400)
    assert.equal(await countSessions(), before, 'an invalid address starts no session')
    const statuses: number[] = []
    for (let i = 0; i < SIGN_IN_RULES.perIpPerHour + 5; i++) statuses.push((await forged(uniqueEmail())).status)
    assert.deepEqual(statuses, [...Array(SIGN_IN_RULES.perIpPerHour).fill(303), ...Array(5).fill(429)])
    assert.equal(
      await countSessions(),
      before + SIGN_IN_RULES.perIpPerHour,
      'one session per code sent, none for the refused',
    )
    outbox.take()
  })

  test('a sign-in request that fails in its transaction gives the browser no cookie for the rolled-back session, and its form works again', async () => {
    const sessionsBefore = await t.deps.db.$count(holderSessions)
    await t.deps.db.execute(
      sql.raw(
        `create function failing_code() returns trigger language plpgsql as $$ begin raise exception 'simulated failure'; end $$`,
      ),
    )
    await t.deps.db.execute(
      sql.raw(
        'create trigger failing_code before insert on sign_in_codes for each row execute function failing_code()',
      ),
    )
    const browser = new Browser(t)
    const csrf = csrfTokenIn((await browser.get(SIGN_IN)).text)
    const formCookie = browser.cookies.get('credport_form')
    let failed: Awaited<ReturnType<typeof browser.request>>
    try {
      failed = await browser.request('POST', SIGN_IN, { form: { _csrf: csrf, email: uniqueEmail() } })
    } finally {
      await t.deps.db.execute(sql.raw('drop trigger failing_code on sign_in_codes'))
      await t.deps.db.execute(sql.raw('drop function failing_code()'))
    }
    assert.equal(failed.status, 500)
    assert.deepEqual(failed.setCookies, [], 'neither a session cookie nor the form cookie deleted')
    assert.equal(await t.deps.db.$count(holderSessions), sessionsBefore)
    assert.equal(t.takeErrorLogs().length, 1)
    assert.equal(browser.cookies.get('credport_form'), formCookie)
    const again = await browser.request('POST', SIGN_IN, { form: { _csrf: csrf, email: uniqueEmail() } })
    assert.equal(again.status, 303, 'the same form, sent again, is taken')
    assert.equal(again.location, CODE)
    assert.ok(browser.cookies.get(COOKIE))
    outbox.take()
  })

  test('the whole sign-in: email → code from the outbox → signed in with a new session id → wallet', async () => {
    const browser = new Browser(t)
    const email = uniqueEmail('Jane.Doe')
    const requested = await browser.submit(SIGN_IN, SIGN_IN, { email: email.toUpperCase() })
    assert.equal(requested.status, 303)
    assert.equal(requested.location, CODE)
    const before = browser.cookies.get(COOKIE)!

    const mail = outbox.one()
    assert.equal(mail.to, email.toLowerCase())
    assert.equal(mail.subject, 'Your Credport sign-in code')
    assert.match(mail.text, /^Your Credport sign-in code is \d{6}\. It expires in 10 minutes\./)

    const codePage = await browser.get(CODE)
    assert.equal(codePage.status, 200)
    assert.ok(codePage.text.includes(`We sent a 6-digit code to j•••@example.com. It expires in 10 minutes.`))
    assert.match(
      codePage.text,
      /<input type="text" class="code" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="\[0-9\]\{6\}" maxlength="6" required autofocus aria-describedby="code-hint"\/>/,
    )
    assert.match(codePage.text, /<label for="code">Sign-in code<\/label>/)
    assert.match(codePage.text, /<form method="post" action="\/holder\/sign-in\/resend"/)
    assert.match(codePage.text, /You can ask for a new code in 60 seconds\./)
    assert.match(codePage.text, /<a href="\/holder\/sign-in">Use another email address<\/a>/)

    const verified = await browser.request('POST', CODE, {
      form: { _csrf: csrfTokenIn(codePage.text), code: mail.code },
    })
    assert.equal(verified.status, 303)
    assert.equal(verified.location, '/holder/wallet')
    const cookie = setCookieLine(verified, COOKIE)
    assert.match(cookie ?? '', /; Max-Age=86400; Path=\/; HttpOnly; SameSite=Lax$/)
    const after = browser.cookies.get(COOKIE)!
    assert.notEqual(after, before, 'the session id changes at sign-in')

    const [fresh] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(after)))
    const [holder] = await t.deps.db.select().from(holders).where(eq(holders.email, email.toLowerCase()))
    assert.equal(fresh!.holderId, holder!.id)
    const [old] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(before)))
    assert.equal(old!.holderId, null)
    assert.ok(old!.expiresAt <= t.clock.now(), 'the pre-sign-in session ended')

    assert.equal((await browser.get(SIGN_IN)).location, '/holder/wallet', 'signed in: the sign-in page redirects')
    assert.equal((await browser.get(CODE)).location, '/holder/wallet')
    const stale = await browser.get(SIGN_IN, { cookie: `${COOKIE}=${before}` })
    assert.equal(stale.status, 200, 'the old cookie signs nobody in')
  })

  test('landing on a redirect link stores nothing; opening it (the form POST) starts the session with the submission pending', async () => {
    const submissionId = await makeSubmission(t)
    await t.deps.db.update(submissions).set({ redirectPath: 'batch' }).where(eq(submissions.id, submissionId))
    const sessionsBefore = await t.deps.db.$count(holderSessions)
    const browser = new Browser(t)
    const landing = await browser.get('/partner/add/batch')
    assert.equal(landing.status, 200)
    assert.equal(setCookieLine(landing, COOKIE), undefined)
    assert.equal(await t.deps.db.$count(holderSessions), sessionsBefore)
    const opened = await browser.post('/holder/open', {
      _csrf: csrfTokenIn(landing.text),
      path: 'batch',
      client_id: 'client',
      content: submissionId,
    })
    assert.equal(opened.status, 303, opened.text)
    assert.equal(opened.location, SIGN_IN)
    const [row] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(browser.cookies.get(COOKIE)!)))
    assert.equal(row!.pendingSubmissionId, submissionId)
    assert.equal(await t.deps.db.$count(holderSessions), sessionsBefore + 1)
  })

  test('pages a holder cannot go on with (no link, another holder’s, expired) answer cleanly: no error is logged', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    t.takeErrorLogs()
    assert.equal((await browser.get('/holder/review')).location, '/holder/wallet', 'no link opened yet')

    const open = async (submissionId: string) => {
      const landing = await browser.get('/partner/add/batch')
      return browser.post('/holder/open', {
        _csrf: csrfTokenIn(landing.text),
        path: 'batch',
        client_id: 'client',
        content: submissionId,
      })
    }
    const taken = await makeSubmission(t)
    const other = randomUUID()
    await t.deps.db.insert(holders).values({ id: other, email: `${other}@example.test` })
    await t.deps.db.update(submissions).set({ redirectPath: 'batch', holderId: other }).where(eq(submissions.id, taken))
    assert.equal((await open(taken)).location, '/holder/review')
    for (const page of ['/holder/review', '/holder/done']) assert.equal((await browser.get(page)).status, 403, page)

    const expiring = await makeSubmission(t)
    await t.deps.db
      .update(submissions)
      .set({ redirectPath: 'batch', expiresAt: new Date(t.clock.now().getTime() + 60_000) })
      .where(eq(submissions.id, expiring))
    assert.equal((await open(expiring)).location, '/holder/review')
    // The clock only goes forward: set back, it would leave this file's rows dated in the future.
    t.clock.advance(61_000)
    assert.equal((await browser.get('/holder/review')).status, 410)
    assert.deepEqual(t.takeErrorLogs(), [])
  })

  test('a pending submission survives sign-in and leads to the review', async () => {
    const browser = new Browser(t)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    const submissionId = await makeSubmission(t)
    await setPendingSubmission(t.deps, sessionIdFor(browser.cookies.get(COOKIE)!), submissionId)
    const verified = await browser.submit(CODE, CODE, { code: outbox.one().code })
    assert.equal(verified.location, '/holder/review')
    const [row] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(browser.cookies.get(COOKIE)!)))
    assert.equal(row!.pendingSubmissionId, submissionId)
  })

  test('a wrong code: 400, attempts left, error linked to the field; the 5th burns the code', async () => {
    const browser = new Browser(t)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    const { code } = outbox.one()
    const wrong = code === '000000' ? '111111' : '000000'
    const first = await browser.submit(CODE, CODE, { code: wrong })
    assert.equal(first.status, 400)
    assert.match(first.text, /<title>Error: Check your email · Credport<\/title>/)
    assert.match(
      first.text,
      /<p class="notice error" id="code-error">That code is not right\. You have 4 attempts left\.<\/p>/,
    )
    assert.match(first.text, /aria-describedby="code-hint code-error" aria-invalid="true"/)
    for (let i = 0; i < 2; i++) await browser.submit(CODE, CODE, { code: wrong })
    assert.match((await browser.submit(CODE, CODE, { code: wrong })).text, /You have 1 attempt left\./)
    const burned = await browser.submit(CODE, CODE, { code: wrong })
    assert.match(
      burned.text,
      /Too many wrong codes: for your security, this code no longer works\. Ask for a new code below\./,
    )
    const right = await browser.submit(CODE, CODE, { code })
    assert.equal(right.status, 400, 'the right code no longer works')
    assert.equal(browser.cookies.has(COOKIE), true)
  })

  test('an expired code asks for a new one; resend respects the cool-down, then sends', async () => {
    const browser = new Browser(t)
    await browser.submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
    const { code } = outbox.one()
    const early = await browser.submit(CODE, RESEND, {})
    assert.equal(early.status, 429)
    assert.equal(early.headers.get('retry-after'), '60')
    assert.match(
      early.text,
      /id="resend-error">A code was sent a moment ago\. You can ask for a new one in 60 seconds\./,
    )
    assert.equal(outbox.take().length, 0)

    t.clock.advance(10 * 60 * 1000)
    const expired = await browser.submit(CODE, CODE, { code })
    assert.equal(expired.status, 400)
    assert.match(expired.text, /This code has expired\. Ask for a new code below\./)
    assert.match((await browser.get(CODE)).text, /This code has expired/)

    const resent = await browser.submit(CODE, RESEND, {})
    assert.equal(resent.status, 303)
    assert.equal(resent.location, `${CODE}?sent=1`)
    assert.match((await browser.get(resent.location!)).text, /We sent a new code\. Use the newest one/)
    const verified = await browser.submit(CODE, CODE, { code: outbox.one().code })
    assert.equal(verified.location, '/holder/wallet')
  })

  test('form errors: 400 for a bad address (kept in the field), 429 with Retry-After when limited', async () => {
    const browser = new Browser(t)
    const bad = await browser.submit(SIGN_IN, SIGN_IN, { email: 'not-an-address' })
    assert.equal(bad.status, 400)
    assert.match(
      bad.text,
      /<p class="notice error" id="email-error">Enter an email address like name@example\.com\.<\/p>/,
    )
    assert.match(bad.text, /value="not-an-address" aria-describedby="email-hint email-error" aria-invalid="true"/)
    const email = uniqueEmail()
    for (let i = 0; i < 5; i++) {
      assert.equal((await new Browser(t).submit(SIGN_IN, SIGN_IN, { email })).status, 303)
      t.clock.advance(60_000)
    }
    const limited = await browser.submit(SIGN_IN, SIGN_IN, { email })
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get('retry-after'), String(3600 - 5 * 60))
    assert.match(limited.text, /Too many codes have been requested\. Try again in 55 minutes\./)
    assert.equal(outbox.take().length, 5)
  })

  test('the code page without a code in progress goes back to the email form', async () => {
    const browser = new Browser(t)
    assert.equal((await browser.get(CODE)).location, SIGN_IN)
    assert.equal((await browser.submit(SIGN_IN, CODE, { code: '123456' })).location, SIGN_IN)
    assert.equal((await browser.submit(SIGN_IN, RESEND, {})).location, SIGN_IN)
  })

  test('sign-out ends the session server-side and deletes the cookie', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    const token = browser.cookies.get(COOKIE)!
    // Signed-in pages (wallet, review) are not part of this module: take the token their sign-out form would carry.
    const csrf = await csrfOfSignedIn(t, token)
    const out = await browser.request('POST', SIGN_OUT, { form: { _csrf: csrf } })
    assert.equal(out.status, 303)
    assert.equal(out.location, SIGN_IN)
    assert.match(
      setCookieLine(out, COOKIE) ?? '',
      new RegExp(`^${COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax$`),
    )
    assert.equal(browser.cookies.has(COOKIE), false)
    const replay = await new Browser(t).get(SIGN_IN, { cookie: `${COOKIE}=${token}` })
    assert.equal(replay.status, 200, 'the old cookie is no longer signed in')
    const [row] = await t.deps.db
      .select()
      .from(holderSessions)
      .where(eq(holderSessions.id, sessionIdFor(token)))
    assert.equal(row!.holderId, null)
  })

  test('sessions last 24 hours at most', async () => {
    const { browser } = await signedInBrowser(t, outbox)
    t.clock.advance(24 * 3600 * 1000 - 1000)
    assert.equal((await browser.get(SIGN_IN)).status, 303)
    t.clock.advance(1000)
    assert.equal((await browser.get(SIGN_IN)).status, 200)
  })
})

/** The CSRF token of a signed-in session, as its pages would render it. */
async function csrfOfSignedIn(t: TestApp, token: string): Promise<string> {
  const [row] = await t.deps.db
    .select()
    .from(holderSessions)
    .where(eq(holderSessions.id, sessionIdFor(token)))
  return csrfTokenFor(row!)
}

describeEachBackend(
  'holder sign-in behind https',
  (use) => {
    test('the form and session cookies are __Host-credport_form and __Host-credport_session, Secure', async () => {
      const landing = await new Browser(use()).get('/partner/add/batch')
      assert.match(
        setCookieLine(landing, '__Host-credport_form') ?? '',
        /^__Host-credport_form=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      )
      assert.equal(setCookieLine(landing, 'credport_form'), undefined)
      const posted = await new Browser(use()).submit(SIGN_IN, SIGN_IN, { email: uniqueEmail() })
      assert.equal(posted.status, 303)
      assert.match(
        setCookieLine(posted, '__Host-credport_session') ?? '',
        /^__Host-credport_session=[\w-]{43}; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
      )
      assert.equal(setCookieLine(posted, COOKIE), undefined)
    })
  },
  { PUBLIC_URL: 'https://credport.example' },
)
