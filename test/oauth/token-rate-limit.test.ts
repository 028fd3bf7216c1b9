import assert from 'node:assert/strict'
import { it } from 'node:test'
import { FAILED_AUTHENTICATIONS_PER_MINUTE } from '../../src/modules/oauth/oauth.routes.js'
import { describeEachBackend } from '../support/app.js'
import { makePartner } from '../support/factories.js'

const TOKEN = '/api/partner/v1/oauth/token.json'

describeEachBackend('token endpoint: failed authentications are rate limited per address', (use) => {
  it(`after ${FAILED_AUTHENTICATIONS_PER_MINUTE} failures in a minute, 429 with Retry-After, even for the right secret; fine again after the window`, async () => {
    const t = use()
    const client = await makePartner(t)
    const attempt = (secret: string) =>
      t.request('POST', TOKEN, { json: { grant_type: 'client_credentials', client_id: client.client_id, client_secret: secret } })
    for (let i = 0; i < FAILED_AUTHENTICATIONS_PER_MINUTE; i++) assert.equal((await attempt('wrong')).status, 401)
    const limited = await attempt(client.client_secret)
    assert.equal(limited.status, 429)
    assert.equal(limited.body.type, '/problems/rate_limited')
    const retryAfter = Number(limited.headers.get('retry-after'))
    // Every request came at one moment: the first frees a moment after a whole minute.
    assert.equal(retryAfter, 61)
    t.clock.advance(61_000)
    assert.equal((await attempt(client.client_secret)).status, 200)
  })
})
