import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartner, makePartnerWithToken, tokenFor } from '../support/factories.js'

const ME = '/api/partner/v1/me.json'
const sorted = (list: readonly string[]) => [...list].sort()

describeEachBackend('bearer authentication: GET /api/partner/v1/me.json', (use) => {
  // The shared security suite of this route (401s, 403s) is in test/security/partner-routes.table.ts.

  const me = (t: TestApp, token: string) => t.request('GET', ME, { token })

  test('returns the partner id, the client id and every scope of a token requested without scope', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t, {
      scopes: ['write.education', 'write.microcredential', 'read.submissions'],
    })
    const response = await me(t, token)
    assert.equal(response.status, 200, response.text)
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/)
    assert.deepEqual(Object.keys(response.body).sort(), ['client_id', 'partner_id', 'scopes'])
    assert.equal(response.body.partner_id, client.partner_id)
    assert.equal(response.body.client_id, client.client_id)
    assert.deepEqual(
      sorted(response.body.scopes),
      sorted(['write.education', 'write.microcredential', 'read.submissions']),
    )
  })

  test('a token requested with a subset of the scopes carries only that subset', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, {
      scopes: [...ALL_SCOPES],
      tokenScope: 'write.right_to_work read.submissions',
    })
    const response = await me(t, token)
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(sorted(response.body.scopes), ['read.submissions', 'write.right_to_work'])
  })

  test('two clients of one partner: same partner id, each its own client id', async () => {
    const t = use()
    const first = await makePartner(t, { scopes: ['write.education'] })
    const added = await t.request('POST', `/api/admin/partners/${first.partner_id}/clients`, {
      token: t.deps.adminToken,
      json: {},
    })
    assert.equal(added.status, 201, added.text)
    const [a, b] = await Promise.all([me(t, await tokenFor(t, first)), me(t, await tokenFor(t, added.body))])
    assert.equal(a.body.partner_id, first.partner_id)
    assert.equal(b.body.partner_id, first.partner_id)
    assert.equal(a.body.client_id, first.client_id)
    assert.equal(b.body.client_id, added.body.client_id)
    assert.notEqual(a.body.client_id, b.body.client_id)
  })

  test('the Bearer scheme name is case-insensitive (RFC 9110 §11.1)', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const response = await t.request('GET', ME, { headers: { authorization: `bearer ${token}` } })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.client_id, client.client_id)
  })

  test('rotating the client secret keeps tokens already issued valid', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const rotated = await t.request('POST', `/api/admin/clients/${client.client_id}/rotate-secret`, {
      token: t.deps.adminToken,
    })
    assert.equal(rotated.status, 200, rotated.text)
    const response = await me(t, token)
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.client_id, client.client_id)
  })

  test("a partner's token says nothing about another partner", async () => {
    const t = use()
    const one = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const two = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const [a, b] = await Promise.all([me(t, one.token), me(t, two.token)])
    assert.equal(a.body.partner_id, one.client.partner_id)
    assert.equal(b.body.partner_id, two.client.partner_id)
    assert.notEqual(a.body.partner_id, b.body.partner_id)
  })
})
