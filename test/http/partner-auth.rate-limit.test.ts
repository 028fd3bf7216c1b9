import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { STATUS_BULK, v2Body, v2Path } from '../support/intake-helpers.js'

const LIMIT = 5
const ME = '/api/partner/v1/me.json'

describeEachBackend(
  'partner routes: each client is held to PARTNER_RATE_LIMIT requests a minute',
  (use) => {
    it(`after ${LIMIT} requests in a minute, 429 with Retry-After on every partner route (nothing stored); other clients unaffected; let through again as the minute slides on`, async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      const other = await makePartnerWithToken(t)
      for (let i = 0; i < LIMIT; i++) assert.equal((await t.request('GET', ME, { token })).status, 200)

      const limited = await t.request('GET', ME, { token })
      assert.equal(limited.status, 429)
      assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/)
      assert.equal(limited.body.type, '/problems/rate_limited')
      assert.equal(limited.body.limit_per_minute, LIMIT)
      const retryAfter = Number(limited.headers.get('retry-after'))
      // Every request came at one moment: the first frees a moment after a whole minute.
      assert.equal(retryAfter, 61)

      const body = v2Body('education')
      const add = await t.request('POST', v2Path('education'), { json: body, token })
      assert.equal(add.status, 429)
      assert.equal((await t.request('POST', STATUS_BULK, { json: { ids: [body.credential_id] }, token })).status, 429)

      assert.equal((await t.request('GET', ME, { token: other.token })).status, 200)
      // The window slides: a minute later the first request is let through, the next one is not yet.
      t.clock.advance(61_000)
      assert.equal((await t.request('GET', ME, { token })).status, 200)
      assert.equal((await t.request('GET', ME, { token })).status, 429)
      t.clock.advance(60_000)
      // The refused add stored nothing: the same request now creates the submission (no replay).
      const created = await t.request('POST', v2Path('education'), { json: body, token })
      assert.equal(created.status, 201, created.text)
      assert.equal(created.headers.get('idempotent-replayed'), null)
    })
  },
  { PARTNER_RATE_LIMIT: String(LIMIT) },
)

describeEachBackend(
  'partner routes: PARTNER_RATE_LIMIT=0 turns the limit off',
  (use) => {
    it('many requests from one client in a minute all pass', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      for (let i = 0; i < 30; i++) assert.equal((await t.request('GET', ME, { token })).status, 200)
    })
  },
  { PARTNER_RATE_LIMIT: '0' },
)
