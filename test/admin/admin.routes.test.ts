import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { oauthClients } from '../../src/db/schema.js'
import { describeEachBackend, type HttpResponse, type RequestOptions, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'

const PARTNERS = '/api/admin/partners'
const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const admin = (t: TestApp, method: string, url: string, options: RequestOptions = {}) =>
  t.request(method, url, { token: t.deps.adminToken, ...options })
const createPartner = async (t: TestApp, body: Record<string, unknown> = {}) => {
  const response = await admin(t, 'POST', PARTNERS, {
    json: { name: 'Acme University', display_name: 'Acme University', scopes: ['write.education'], ...body },
  })
  assert.equal(response.status, 201, response.text)
  return response.body as { partner_id: string; client_id: string; client_secret: string; scopes: string[] }
}
const clientPath = (clientId: string, action: 'revoke' | 'rotate-secret') =>
  `/api/admin/clients/${encodeURIComponent(clientId)}/${action}`
const pointers = (response: HttpResponse) =>
  (response.body.errors as Array<{ pointer: string }>).map((e) => e.pointer).sort()

describeEachBackend('admin API', (use) => {
  test('a missing, wrong or non-Bearer admin token → 401 problem with a Bearer challenge', async () => {
    const t = use()
    const { token: partnerToken } = await makePartnerWithToken(t)
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${t.deps.adminToken}x` },
      { authorization: `Bearer ${partnerToken}` },
      { authorization: `Basic ${Buffer.from(`admin:${t.deps.adminToken}`).toString('base64')}` },
    ]
    for (const headers of attempts) {
      for (const [method, url] of [
        ['GET', PARTNERS],
        ['POST', PARTNERS],
        ['GET', `${PARTNERS}/${UNKNOWN_UUID}`],
        ['POST', clientPath('x', 'revoke')],
      ] as const) {
        const response = await t.request(method, url, { headers, ...(method === 'POST' ? { json: {} } : {}) })
        assertProblem(response, 401, 'unauthorized')
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm=/)
      }
    }
  })

  test('creating a partner → 201 with exactly partner_id, client_id, client_secret and scopes', async () => {
    const t = use()
    const response = await admin(t, 'POST', PARTNERS, {
      json: { name: 'Acme', display_name: 'Acme', scopes: ['write.education', 'read.submissions'] },
    })
    assert.equal(response.status, 201, response.text)
    assert.deepEqual(Object.keys(response.body).sort(), ['client_id', 'client_secret', 'partner_id', 'scopes'])
    assert.match(response.body.partner_id, UUID)
    assert.equal(typeof response.body.client_id, 'string')
    assert.ok(response.body.client_secret.length >= 32)
    assert.deepEqual([...response.body.scopes].sort(), ['read.submissions', 'write.education'])
  })

  test('the client secret is stored only as an scrypt hash and never returned by GET', async () => {
    const t = use()
    const created = await createPartner(t)
    const [row] = await t.deps.db.select().from(oauthClients).where(eq(oauthClients.clientId, created.client_id))
    assert.ok(row)
    assert.ok(row.secretHash.startsWith('scrypt$'), row.secretHash)
    assert.ok(!JSON.stringify(row).includes(created.client_secret))
    for (const url of [PARTNERS, `${PARTNERS}/${created.partner_id}`]) {
      const response = await admin(t, 'GET', url)
      assert.equal(response.status, 200, response.text)
      assert.ok(response.text.includes(created.client_id), url)
      assert.ok(!response.text.includes(created.client_secret), url)
      assert.ok(!response.text.includes('scrypt$'), url)
    }
  })

  test('GET a partner: name trimmed, hosts lower-cased, status active, its clients', async () => {
    const t = use()
    const now = t.clock.now().toISOString()
    const created = await createPartner(t, {
      name: '  Acme Institute  ',
      display_name: ' Acme Institute of Technology ',
      document_hosts: ['Docs.Example.EDU'],
    })
    const response = await admin(t, 'GET', `${PARTNERS}/${created.partner_id}`)
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(response.body, {
      partner_id: created.partner_id,
      name: 'Acme Institute',
      display_name: 'Acme Institute of Technology',
      support_contact: null,
      logo: null,
      status: 'active',
      document_hosts: ['docs.example.edu'],
      created_at: now,
      clients: [
        {
          client_id: created.client_id,
          scopes: ['write.education'],
          created_at: now,
          secret_rotated_at: null,
          revoked_at: null,
        },
      ],
    })
    const list = await admin(t, 'GET', PARTNERS)
    assert.equal(list.status, 200, list.text)
    assert.deepEqual(
      list.body.find((p: { partner_id: string }) => p.partner_id === created.partner_id),
      response.body,
    )
  })

  test('an invalid body → 400 listing every problem with its pointer', async () => {
    const t = use()
    const response = await admin(t, 'POST', PARTNERS, {
      json: {
        name: '   ',
        display_name: ' ',
        scopes: ['write.education', 'write.everything'],
        document_hosts: ['ok.example.edu', 'https://docs.example.edu/x'],
        colour: 'red',
      },
    })
    assertProblem(response, 400, 'validation')
    assert.deepEqual(pointers(response), ['/colour', '/display_name', '/document_hosts/1', '/name', '/scopes/1'])
    assert.equal(response.body.detail, '5 problems in the request body')
    for (const error of response.body.errors) assert.equal(typeof error.message, 'string')
  })

  test('missing name, display name and scopes, or an empty scope list → 400', async () => {
    const t = use()
    const missing = await admin(t, 'POST', PARTNERS, { json: {} })
    assertProblem(missing, 400, 'validation')
    assert.deepEqual(pointers(missing), ['/display_name', '/name', '/scopes'])
    const empty = await admin(t, 'POST', PARTNERS, { json: { name: 'x', display_name: 'X', scopes: [] } })
    assertProblem(empty, 400, 'validation')
    assert.deepEqual(pointers(empty), ['/scopes'])
  })

  test('an unknown partner id → 404; a partner id that is not a UUID → 400', async () => {
    const t = use()
    assertProblem(await admin(t, 'GET', `${PARTNERS}/${UNKNOWN_UUID}`), 404, 'not_found')
    assertProblem(await admin(t, 'POST', `${PARTNERS}/${UNKNOWN_UUID}/clients`, { json: {} }), 404, 'not_found')
    for (const response of [
      await admin(t, 'GET', `${PARTNERS}/not-a-uuid`),
      await admin(t, 'POST', `${PARTNERS}/not-a-uuid/clients`, { json: {} }),
    ]) {
      assertProblem(response, 400, 'invalid_parameter')
      assert.deepEqual(
        response.body.errors.map((e: { pointer: string; in: string }) => [e.pointer, e.in]),
        [['/partnerId', 'path']],
      )
    }
  })

  test('a new client without scopes inherits the partner’s scopes; with scopes gets those', async () => {
    const t = use()
    const created = await createPartner(t, { scopes: ['write.education', 'write.microcredential'] })
    const inherited = await admin(t, 'POST', `${PARTNERS}/${created.partner_id}/clients`, { json: {} })
    assert.equal(inherited.status, 201, inherited.text)
    assert.deepEqual(Object.keys(inherited.body).sort(), ['client_id', 'client_secret', 'partner_id', 'scopes'])
    assert.equal(inherited.body.partner_id, created.partner_id)
    assert.notEqual(inherited.body.client_id, created.client_id)
    assert.deepEqual([...inherited.body.scopes].sort(), ['write.education', 'write.microcredential'])

    const narrowed = await admin(t, 'POST', `${PARTNERS}/${created.partner_id}/clients`, {
      json: { scopes: ['read.submissions'] },
    })
    assert.equal(narrowed.status, 201, narrowed.text)
    assert.deepEqual(narrowed.body.scopes, ['read.submissions'])

    const invalid = await admin(t, 'POST', `${PARTNERS}/${created.partner_id}/clients`, {
      json: { scopes: ['write.nope'], extra: true },
    })
    assertProblem(invalid, 400, 'validation')
    assert.deepEqual(pointers(invalid), ['/extra', '/scopes/0'])

    const partner = await admin(t, 'GET', `${PARTNERS}/${created.partner_id}`)
    assert.deepEqual(
      partner.body.clients.map((c: { client_id: string }) => c.client_id).sort(),
      [created.client_id, inherited.body.client_id, narrowed.body.client_id].sort(),
    )
  })

  test('rotating a secret → a new secret for the same client, recorded as secret_rotated_at', async () => {
    const t = use()
    const created = await createPartner(t)
    const response = await admin(t, 'POST', clientPath(created.client_id, 'rotate-secret'))
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(Object.keys(response.body).sort(), ['client_id', 'client_secret', 'partner_id', 'scopes'])
    assert.equal(response.body.client_id, created.client_id)
    assert.equal(response.body.partner_id, created.partner_id)
    assert.notEqual(response.body.client_secret, created.client_secret)
    const partner = await admin(t, 'GET', `${PARTNERS}/${created.partner_id}`)
    assert.equal(partner.body.clients[0].secret_rotated_at, t.clock.now().toISOString())
    assert.ok(!partner.text.includes(response.body.client_secret))
  })

  test('revoking → 200 with revoked_at; revoking again → 409; rotating a revoked client → 409', async () => {
    const t = use()
    const created = await createPartner(t)
    const revoked = await admin(t, 'POST', clientPath(created.client_id, 'revoke'))
    assert.equal(revoked.status, 200, revoked.text)
    assert.equal(revoked.body.client_id, created.client_id)
    assert.equal(revoked.body.revoked_at, t.clock.now().toISOString())
    assert.ok(!revoked.text.includes(created.client_secret))
    assertProblem(await admin(t, 'POST', clientPath(created.client_id, 'revoke')), 409, 'conflict')
    assertProblem(await admin(t, 'POST', clientPath(created.client_id, 'rotate-secret')), 409, 'conflict')
    const partner = await admin(t, 'GET', `${PARTNERS}/${created.partner_id}`)
    assert.equal(partner.body.clients[0].revoked_at, revoked.body.revoked_at)
  })

  test('an unknown client → 404 on revoke and rotate; an over-long client id → 400', async () => {
    const t = use()
    assertProblem(await admin(t, 'POST', clientPath('cpc_no_such_client', 'revoke')), 404, 'not_found')
    assertProblem(await admin(t, 'POST', clientPath('cpc_no_such_client', 'rotate-secret')), 404, 'not_found')
    assertProblem(await admin(t, 'POST', clientPath('x'.repeat(201), 'revoke')), 400, 'invalid_parameter')
  })
})
