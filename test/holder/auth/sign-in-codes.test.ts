import assert from 'node:assert/strict'
import { beforeEach, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { holders, signInCodes } from '../../../src/db/schema.js'
import { openSession } from '../../../src/modules/holder/auth/sessions.js'
import {
  SIGN_IN_RULES,
  pendingSignIn,
  requestSignInCode,
  resendSignInCode,
  verifySignInCode,
} from '../../../src/modules/holder/auth/sign-in-codes.js'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { captureLog, freshWindow, memoryMailer, uniqueEmail } from './support.js'

const MINUTE = 60_000

describeEachBackend('sign-in codes (domain rules)', (use) => {
  let t: TestApp
  let mailer: ReturnType<typeof memoryMailer>
  const deps = () => ({ db: t.deps.db, clock: t.clock, mailer })
  const newSession = async () => (await openSession(t.deps)).session.id
  const ask = (sessionId: string, email: string, extra: { ip?: string; resend?: boolean } = {}) =>
    requestSignInCode(deps(), {
      sessionId,
      email,
      ip: extra.ip ?? '198.51.100.7',
      locale: 'en',
      log: captureLog().log,
      resend: extra.resend,
    })
  const lastCode = () => /(\d{6})/.exec(mailer.sent.at(-1)!.text)![1]!

  beforeEach(() => {
    t = use()
    mailer = memoryMailer()
    freshWindow(t)
  })

  test('the code is emailed, and only a keyed hash of it (and of the IP) is stored', async () => {
    const session = await newSession()
    const email = uniqueEmail()
    assert.deepEqual(await ask(session, `  ${email.toUpperCase()} `), { ok: true, sent: true })
    assert.equal(mailer.sent.length, 1)
    const message = mailer.sent[0]!
    assert.equal(message.to, email)
    assert.equal(message.subject, 'Your Credport sign-in code')
    const code = lastCode()
    // The sentence, then the code alone on a line (readable even in a quoted-printable Thai mail).
    assert.match(message.text, new RegExp(`\n\n {4}${code}\n\n`))
    assert.match(
      message.text.split('\n')[0]!,
      new RegExp(
        `^Your Credport sign-in code is ${code}\\. It expires in 10 minutes\\. If you did not ask for it, ignore this email\\.$`,
      ),
    )
    assert.match(message.html ?? '', new RegExp(`<strong>${code}</strong>`))
    assert.doesNotMatch(message.subject, /\d{6}/)
    const [row] = await t.deps.db.select().from(signInCodes).where(eq(signInCodes.sessionId, session))
    assert.equal(row!.email, email)
    assert.match(row!.codeHash, /^[0-9a-f]{64}$/)
    assert.ok(!JSON.stringify(row).includes(code), 'the stored row must not contain the code')
    assert.match(row!.ipHash, /^[0-9a-f]{64}$/)
    assert.ok(!JSON.stringify(row).includes('198.51.100.7'))
    assert.equal(row!.expiresAt.getTime() - row!.createdAt.getTime(), SIGN_IN_RULES.codeTtlMs)
    assert.equal(row!.createdAt.getTime(), t.clock.now().getTime())
  })

  test('the right code signs in once: the holder is created, then found again on the next sign-in', async () => {
    const email = uniqueEmail()
    const session = await newSession()
    await ask(session, email)
    const first = await verifySignInCode(t.deps, { sessionId: session, code: lastCode() })
    assert.equal(first.ok, true)
    assert.ok(first.ok && first.email === email)
    assert.deepEqual(await verifySignInCode(t.deps, { sessionId: session, code: lastCode() }), {
      ok: false,
      reason: 'no_code',
    })
    const [holder] = await t.deps.db.select().from(holders).where(eq(holders.email, email))
    assert.equal(holder!.id, first.ok ? first.holderId : '')
    assert.equal(holder!.lastSignedInAt!.getTime(), t.clock.now().getTime())

    t.clock.advance(2 * MINUTE)
    const again = await newSession()
    await ask(again, email)
    const second = await verifySignInCode(t.deps, {
      sessionId: again,
      code: ` ${lastCode().slice(0, 3)} ${lastCode().slice(3)} `,
    })
    assert.ok(second.ok && second.holderId === holder!.id, 'same holder, spaces in the typed code ignored')
    const [updated] = await t.deps.db.select().from(holders).where(eq(holders.email, email))
    assert.equal(updated!.lastSignedInAt!.getTime(), t.clock.now().getTime())
  })

  test('a code is valid for 10 minutes', async () => {
    const early = await newSession()
    await ask(early, uniqueEmail())
    const earlyCode = lastCode()
    const late = await newSession()
    await ask(late, uniqueEmail())
    const lateCode = lastCode()
    t.clock.advance(SIGN_IN_RULES.codeTtlMs - 1000)
    assert.equal((await verifySignInCode(t.deps, { sessionId: early, code: earlyCode })).ok, true)
    t.clock.advance(1000)
    assert.deepEqual(await verifySignInCode(t.deps, { sessionId: late, code: lateCode }), {
      ok: false,
      reason: 'expired',
    })
    assert.equal((await pendingSignIn(t.deps, late))?.state, 'expired')
  })

  test('every wrong try counts; the 5th burns the code, even for the right one afterwards', async () => {
    const session = await newSession()
    await ask(session, uniqueEmail())
    const code = lastCode()
    const wrong = code === '000000' ? '111111' : '000000'
    for (const left of [4, 3, 2, 1]) {
      assert.deepEqual(await verifySignInCode(t.deps, { sessionId: session, code: wrong }), {
        ok: false,
        reason: 'invalid',
        attemptsLeft: left,
      })
    }
    assert.deepEqual(await verifySignInCode(t.deps, { sessionId: session, code: 'abc' }), {
      ok: false,
      reason: 'too_many_attempts',
    })
    assert.deepEqual(await verifySignInCode(t.deps, { sessionId: session, code }), {
      ok: false,
      reason: 'too_many_attempts',
    })
    const [row] = await t.deps.db.select().from(signInCodes).where(eq(signInCodes.sessionId, session))
    assert.equal(row!.attempts, 5)
    assert.equal(row!.consumedAt, null)
    assert.equal((await pendingSignIn(t.deps, session))?.state, 'too_many_attempts')
  })

  test('concurrent wrong guesses are all counted, never more than 5', async () => {
    const session = await newSession()
    await ask(session, uniqueEmail())
    const wrong = lastCode() === '000000' ? '111111' : '000000'
    const results = await Promise.all(
      Array.from({ length: 8 }, () => verifySignInCode(t.deps, { sessionId: session, code: wrong })),
    )
    assert.equal(results.filter((r) => !r.ok && r.reason === 'invalid').length, 4)
    assert.equal(results.filter((r) => !r.ok && r.reason === 'too_many_attempts').length, 4)
  })

  test('cool-down: a second code for the same address waits 60 seconds; re-submitting the same address keeps the code', async () => {
    const session = await newSession()
    const email = uniqueEmail()
    await ask(session, email)
    t.clock.advance(15_000)
    assert.deepEqual(await ask(session, email), { ok: true, sent: false })
    assert.deepEqual(await ask(session, email, { resend: true }), {
      ok: false,
      reason: 'cooldown',
      retryAfterSeconds: 45,
    })
    assert.deepEqual(await ask(await newSession(), email), { ok: false, reason: 'cooldown', retryAfterSeconds: 45 })
    assert.equal(mailer.sent.length, 1)
    t.clock.advance(45_000)
    assert.deepEqual(
      await resendSignInCode(deps(), { sessionId: session, ip: '198.51.100.7', locale: 'en', log: captureLog().log }),
      { ok: true, sent: true },
    )
    assert.equal(mailer.sent.length, 2)
  })

  test('concurrent requests for one address send one code', async () => {
    const email = uniqueEmail()
    const sessions = await Promise.all(Array.from({ length: 6 }, newSession))
    const results = await Promise.all(sessions.map((s) => ask(s, email)))
    assert.equal(results.filter((r) => r.ok).length, 1)
    assert.equal(mailer.sent.length, 1)
  })

  test('a new code retires the earlier codes of the session', async () => {
    const session = await newSession()
    const email = uniqueEmail()
    await ask(session, email)
    const first = lastCode()
    t.clock.advance(SIGN_IN_RULES.resendCooldownMs)
    await ask(session, email, { resend: true })
    const second = lastCode()
    const rows = await t.deps.db
      .select()
      .from(signInCodes)
      .where(eq(signInCodes.sessionId, session))
      .orderBy(signInCodes.createdAt)
    assert.equal(
      rows[0]!.expiresAt.getTime(),
      t.clock.now().getTime(),
      'the first code expired when the second was sent',
    )
    if (first !== second) assert.equal((await verifySignInCode(t.deps, { sessionId: session, code: first })).ok, false)
    assert.equal((await verifySignInCode(t.deps, { sessionId: session, code: second })).ok, true)
  })

  test('at most 5 codes per address an hour, across sessions and IP addresses', async () => {
    const email = uniqueEmail()
    for (let i = 0; i < SIGN_IN_RULES.perEmailPerHour; i++) {
      assert.equal((await ask(await newSession(), email, { ip: `203.0.113.${i}` })).ok, true)
      t.clock.advance(SIGN_IN_RULES.resendCooldownMs)
    }
    const refused = await ask(await newSession(), email, { ip: '203.0.113.99' })
    // The first of the five leaves the window one hour after it was sent.
    assert.deepEqual(refused, { ok: false, reason: 'rate_limited', retryAfterSeconds: 3600 - 5 * 60 })
    t.clock.advance(refused.ok ? 0 : refused.retryAfterSeconds * 1000)
    assert.equal((await ask(await newSession(), email)).ok, true)
  })

  test('at most 20 codes per IP address an hour', async () => {
    const session = await newSession()
    for (let i = 0; i < SIGN_IN_RULES.perIpPerHour; i++)
      assert.equal((await ask(session, uniqueEmail(), { ip: '192.0.2.50' })).ok, true)
    const refused = await ask(session, uniqueEmail(), { ip: '192.0.2.50' })
    assert.deepEqual(refused, { ok: false, reason: 'rate_limited', retryAfterSeconds: 3600 })
    assert.equal((await ask(session, uniqueEmail(), { ip: '192.0.2.51' })).ok, true, 'another address is not limited')
  })

  test('addresses are checked and normalised', async () => {
    const session = await newSession()
    for (const bad of [
      '',
      'plainaddress',
      'a@b',
      'two@@example.com',
      'sp ace@example.com',
      `${'x'.repeat(65)}@example.com`,
      'a\nb@example.com',
      'nul\u0000@example.com',
      '.<script>@example.com',
      42,
    ]) {
      assert.deepEqual(await ask(session, bad as string), { ok: false, reason: 'invalid_email' }, String(bad))
    }
    assert.equal(mailer.sent.length, 0)
    assert.equal((await t.deps.db.select().from(signInCodes).where(eq(signInCodes.sessionId, session))).length, 0)
  })

  test('a mail failure is reported, logged without the address, and the undelivered code retired', async () => {
    const session = await newSession()
    const email = uniqueEmail()
    const failing = memoryMailer({
      fail: Object.assign(new Error(`550 <${email}>: Recipient address rejected`), { code: 'EENVELOPE' }),
    })
    const { log, lines } = captureLog()
    const result = await requestSignInCode(
      { ...deps(), mailer: failing },
      { sessionId: session, email, ip: '198.51.100.7', locale: 'en', log },
    )
    assert.deepEqual(result, { ok: false, reason: 'mail_failed', retryAfterSeconds: 60 })
    assert.ok(lines.some((line) => line.includes('sign-in code mail failed') && line.includes('EENVELOPE')))
    assert.ok(lines.every((line) => !line.includes(email)))
    const [row] = await t.deps.db.select().from(signInCodes).where(eq(signInCodes.sessionId, session))
    assert.equal(row!.expiresAt.getTime(), t.clock.now().getTime())
  })

  test('the email is in the holder language', async () => {
    await requestSignInCode(deps(), {
      sessionId: await newSession(),
      email: uniqueEmail(),
      ip: '198.51.100.8',
      locale: 'th',
      log: captureLog().log,
    })
    assert.equal(mailer.sent[0]!.subject, 'รหัสเข้าสู่ระบบ Credport ของคุณ')
    assert.match(mailer.sent[0]!.text, /^รหัสเข้าสู่ระบบ Credport ของคุณคือ \d{6} รหัสนี้จะหมดอายุใน 10 นาที/)
    await requestSignInCode(deps(), {
      sessionId: await newSession(),
      email: uniqueEmail(),
      ip: '198.51.100.8',
      locale: 'id',
      log: captureLog().log,
    })
    assert.match(mailer.sent[1]!.text, /^Kode masuk Credport Anda adalah \d{6}\. Kode ini berlaku selama 10 menit\./)
  })

  test('the log line names the outbox file, never the code or the address', async () => {
    const { log, lines } = captureLog()
    const email = uniqueEmail()
    await requestSignInCode(deps(), { sessionId: await newSession(), email, ip: '198.51.100.9', locale: 'en', log })
    assert.equal(lines.length, 1)
    const line = JSON.parse(lines[0]!)
    assert.deepEqual(line, { level: 'info', mailer: 'outbox', location: '/tmp/outbox/1.eml', msg: 'sign-in code sent' })
    assert.ok(!lines[0]!.includes(lastCode()) && !lines[0]!.includes(email))
  })
})
