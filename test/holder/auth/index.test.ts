import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, beforeEach, test } from 'node:test'
import formbody from '@fastify/formbody'
import Fastify, { type FastifyInstance } from 'fastify'
import { eq } from 'drizzle-orm'
import { holderSessions, signInCodes } from '../../../src/db/schema.js'
import {
  csrfGuard,
  ensureSession,
  holderSessionPlugin,
  pageContext,
  purgeExpiredSessions,
  requireSignedIn,
  setPendingSubmission,
} from '../../../src/modules/holder/auth/index.js'
import { sessionIdFor } from '../../../src/modules/holder/auth/sessions.js'
import { describeEachBackend, type TestApp } from '../../support/app.js'
import { Browser, CODE, Outbox, SIGN_IN, freshWindow, makeSubmission, signedInBrowser } from './support.js'

/** What a review or wallet route built on this module looks like (on a second app sharing the database). */
async function neighbourApp(t: TestApp): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(async (holder) => {
    await holder.register(holderSessionPlugin, { deps: t.deps })
    await holder.register(formbody)
    holder.get('/holder/wallet', async (request, reply) => {
      if (!requireSignedIn(request, reply)) return reply
      const ctx = await pageContext(request, reply, '/holder/wallet')
      return { ctx, holder: request.holder.holder }
    })
    holder.get('/holder/add/:id', async (request, reply) => {
      const session = await ensureSession(t.deps, request, reply)
      await setPendingSubmission(t.deps, session.id, (request.params as { id: string }).id)
      if (!requireSignedIn(request, reply)) return reply
      return reply.redirect('/holder/review', 303)
    })
    holder.post('/holder/wallet/act', { preHandler: csrfGuard }, async () => ({ done: true }))
  })
  await app.ready()
  return app
}

describeEachBackend('the sign-in module as other holder routes use it', (use) => {
  let t: TestApp
  let outbox: Outbox
  let neighbour: FastifyInstance
  before(async () => {
    outbox = new Outbox(use())
    neighbour = await neighbourApp(use())
  })
  after(() => neighbour.close())
  beforeEach(() => {
    t = use()
    freshWindow(t)
    outbox.take()
  })

  test('requireSignedIn: 303 to the sign-in page when nobody is signed in', async () => {
    const response = await neighbour.inject({ method: 'GET', url: '/holder/wallet' })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/holder/sign-in')
  })

  test('pageContext: the signed-in holder, language and a CSRF token that csrfGuard accepts', async () => {
    const { browser, email } = await signedInBrowser(t, outbox, undefined, { 'accept-language': 'id' })
    const cookie = `credport_session=${browser.cookies.get('credport_session')}`
    const wallet = await neighbour.inject({
      method: 'GET',
      url: '/holder/wallet',
      headers: { cookie, 'accept-language': 'id' },
    })
    assert.equal(wallet.statusCode, 200)
    const { ctx, holder } = wallet.json()
    assert.equal(holder.email, email)
    assert.equal(ctx.signedInEmail, email)
    assert.equal(ctx.locale, 'id')
    assert.equal(ctx.path, '/holder/wallet')
    assert.match(ctx.nonce, /^[A-Za-z0-9+/]{22}==$/)
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie }
    const refused = await neighbour.inject({
      method: 'POST',
      url: '/holder/wallet/act',
      headers: { ...form, 'accept-language': 'id' },
      payload: 'x=1',
    })
    assert.equal(refused.statusCode, 403)
    assert.match(refused.body, /<html lang="id">/)
    assert.match(refused.body, /Formulir ini sudah kedaluwarsa/)
    assert.match(
      refused.body,
      /href="\/holder\/sign-in\?lang=th"/,
      'language links lead to a page, not to the POST-only path',
    )
    const accepted = await neighbour.inject({
      method: 'POST',
      url: '/holder/wallet/act',
      headers: form,
      payload: `_csrf=${ctx.csrfToken}`,
    })
    assert.equal(accepted.statusCode, 200)
    assert.deepEqual(accepted.json(), { done: true })
  })

  test('ensureSession + setPendingSubmission: a link opened before sign-in leads to the review after it', async () => {
    const submissionId = await makeSubmission(t)
    const opened = await neighbour.inject({ method: 'GET', url: `/holder/add/${submissionId}` })
    assert.equal(opened.headers.location, '/holder/sign-in')
    const token = /credport_session=([\w-]+)/.exec(String(opened.headers['set-cookie']))![1]!
    const browser = new Browser(t)
    browser.cookies.set('credport_session', token)
    assert.equal(
      (await browser.submit(SIGN_IN, SIGN_IN, { email: `pending.${submissionId.slice(0, 8)}@example.com` })).location,
      CODE,
    )
    assert.equal((await browser.submit(CODE, CODE, { code: outbox.one().code })).location, '/holder/review')
  })

  test('the stylesheet is served without a session', async () => {
    const css = await new Browser(t).get('/holder/static/holder.css')
    assert.equal(css.status, 200)
    assert.deepEqual(css.setCookies, [])
  })

  test('purgeExpiredSessions keeps ended sessions (and the codes the limits count) for an hour', async () => {
    const browser = new Browser(t)
    await browser.submit(SIGN_IN, SIGN_IN, { email: `purge.${Date.now()}@example.com` })
    outbox.take()
    const id = sessionIdFor(browser.cookies.get('credport_session')!)
    t.clock.advance(24 * 3600 * 1000 + 30 * 60 * 1000)
    await purgeExpiredSessions(t.deps, { limit: 1000 })
    assert.equal((await t.deps.db.select().from(holderSessions).where(eq(holderSessions.id, id))).length, 1)
    t.clock.advance(31 * 60 * 1000)
    assert.ok((await purgeExpiredSessions(t.deps, { limit: 1000 })) >= 1)
    assert.equal((await t.deps.db.select().from(holderSessions).where(eq(holderSessions.id, id))).length, 0)
    assert.equal((await t.deps.db.select().from(signInCodes).where(eq(signInCodes.sessionId, id))).length, 0)
  })
})

test('a session row id is the hex SHA-256 of its cookie token (whichever hashing call computes it)', () => {
  const token = 'AbC-dEf_0123456789abcdefghijklmnopqrstuvwxy'
  assert.equal(sessionIdFor(token), createHash('sha256').update(token).digest('hex'))
})
