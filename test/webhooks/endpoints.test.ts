import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import dns from 'node:dns'
import os from 'node:os'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { webhookEndpoints } from '../../src/db/schema.js'
import { publicAddressesOnly } from '../../src/modules/assets/index.js'
import { resolvedAddressIssues } from '../../src/modules/webhooks/url-policy.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'

const BASE = '/api/partner/v2/webhooks'
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/

describeEachBackend('webhook endpoints management (spec §9)', (use) => {
  test('create returns the secret once; list and get never show it; the row keeps it encrypted only', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, { scopes: ['read.submissions'] })
    const created = await t.request('POST', BASE, {
      token,
      json: { url: 'https://hooks.example.com/credport', name: 'Main', event_types: ['submission.verified'] },
    })
    assert.equal(created.status, 201, created.text)
    assert.match(created.body.secret, SECRET)
    assert.equal(created.body.url, 'https://hooks.example.com/credport')
    assert.deepEqual(created.body.event_types, ['submission.verified'])
    assert.equal(created.body.enabled, true)

    const list = await t.request('GET', BASE, { token })
    assert.equal(list.status, 200)
    assert.equal(list.body.length, 1)
    assert.equal(list.body[0].id, created.body.id)
    assert.ok(!('secret' in list.body[0]))
    const one = await t.request('GET', `${BASE}/${created.body.id}`, { token })
    assert.equal(one.status, 200)
    assert.ok(!('secret' in one.body))
    assert.ok(!one.text.includes(created.body.secret.slice(6)))

    const [row] = await t.deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.body.id))
    assert.ok(!row!.secretCiphertext.includes(created.body.secret.slice(6, 20)))
    assert.equal(t.deps.secretBox.open(row!.secretCiphertext, row!.id), created.body.secret)
    // Bound to its row: the ciphertext does not open as another endpoint's.
    assert.throws(() => t.deps.secretBox.open(row!.secretCiphertext, randomUUID()))
  })

  test('PUT changes fields, rotation returns a new secret and keeps the old one signing for 24 h', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const created = await t.request('POST', BASE, { token, json: { url: 'https://a.example.com/h' } })
    const id = created.body.id
    const changed = await t.request('PUT', `${BASE}/${id}`, {
      token,
      json: { url: 'https://b.example.com/h', description: 'second', enabled: false },
    })
    assert.equal(changed.status, 200, changed.text)
    assert.equal(changed.body.url, 'https://b.example.com/h')
    assert.equal(changed.body.enabled, false)
    assert.equal(changed.body.disabled_reason, 'partner')
    const enabled = await t.request('PUT', `${BASE}/${id}`, { token, json: { enabled: true } })
    assert.equal(enabled.body.enabled, true)
    assert.equal(enabled.body.disabled_reason, null)
    assert.equal(enabled.body.description, 'second')

    const rotated = await t.request('PUT', `${BASE}/${id}/secret`, { token })
    assert.equal(rotated.status, 200, rotated.text)
    assert.match(rotated.body.secret, SECRET)
    assert.notEqual(rotated.body.secret, created.body.secret)
    const [row] = await t.deps.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id))
    assert.equal(t.deps.secretBox.open(row!.previousSecretCiphertext!, id), created.body.secret)
    assert.equal(row!.previousSecretUntil!.getTime(), t.clock.now().getTime() + 24 * 3600_000)

    assert.equal((await t.request('DELETE', `${BASE}/${id}`, { token })).status, 204)
    assertProblem(await t.request('GET', `${BASE}/${id}`, { token }), 404, 'not_found')
  })

  test('at most 10 endpoints per partner: the 11th → 409 webhook_limit', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    for (let i = 0; i < 10; i++) {
      const r = await t.request('POST', BASE, { token, json: { url: `https://h${i}.example.com/` } })
      assert.equal(r.status, 201, r.text)
    }
    assertProblem(
      await t.request('POST', BASE, { token, json: { url: 'https://h10.example.com/' } }),
      409,
      'webhook_limit',
    )
  })

  test('https only, and never a private, loopback or link-local address', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    for (const url of [
      'http://hooks.example.com/',
      'ftp://hooks.example.com/',
      'not a url',
      'https://127.0.0.1/',
      'https://localhost:8443/',
      'https://10.1.2.3/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest',
      'https://[::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
      'http://127.0.0.1:9000/',
    ]) {
      const response = await t.request('POST', BASE, { token, json: { url } })
      assertProblem(response, 400, 'validation')
      assert.equal(response.body.errors[0].pointer, '/url', url)
    }
    const created = await t.request('POST', BASE, { token, json: { url: 'https://hooks.example.com/' } })
    assertProblem(
      await t.request('PUT', `${BASE}/${created.body.id}`, { token, json: { url: 'https://127.0.0.1/' } }),
      400,
      'validation',
    )
  })

  test('a name that resolves to a private or loopback address is refused when saved, without saying the address', async () => {
    const t = use()
    // This machine's own name, resolved by the system (/etc/hosts): a loopback or private address
    // on most machines (127.0.0.1 in a container), and then refused; a public one is accepted.
    const name = os.hostname()
    const resolved = await dns.promises.lookup(name, { all: true }).catch(() => [])
    const refused = resolved.find(({ address }) => !publicAddressesOnly(address))
    const { token } = await makePartnerWithToken(t)
    if (!refused) {
      const accepted = await t.request('POST', BASE, { token, json: { url: `https://${name}/hooks` } })
      assert.equal(accepted.status, 201, `${name} resolves to public addresses only here: ${accepted.text}`)
      return
    }
    const response = await t.request('POST', BASE, { token, json: { url: `https://${name}/hooks` } })
    assertProblem(response, 400, 'validation')
    assert.equal(response.body.errors[0].pointer, '/url')
    assert.equal(response.body.errors[0].message, 'must not resolve to a private, loopback or link-local address')
    assert.doesNotMatch(
      JSON.stringify(response.body),
      new RegExp(refused.address.replace(/[.:]/g, '\\$&')),
      'no address',
    )
    const created = await t.request('POST', BASE, { token, json: { url: 'https://hooks.example.com/' } })
    assertProblem(
      await t.request('PUT', `${BASE}/${created.body.id}`, { token, json: { url: `https://${name}:8443/` } }),
      400,
      'validation',
    )
    assert.equal((await t.deps.db.select().from(webhookEndpoints)).filter((row) => row.url.includes(name)).length, 0)
  })

  test("another partner's endpoint → 404 on every route, and it stays unchanged", async () => {
    const t = use()
    const owner = await makePartnerWithToken(t)
    const stranger = await makePartnerWithToken(t)
    const created = await t.request('POST', BASE, { token: owner.token, json: { url: 'https://o.example.com/' } })
    const path = `${BASE}/${created.body.id}`
    assertProblem(await t.request('GET', path, { token: stranger.token }), 404, 'not_found')
    assertProblem(await t.request('PUT', path, { token: stranger.token, json: { enabled: false } }), 404, 'not_found')
    assertProblem(await t.request('PUT', `${path}/secret`, { token: stranger.token }), 404, 'not_found')
    assertProblem(await t.request('DELETE', path, { token: stranger.token }), 404, 'not_found')
    assert.deepEqual((await t.request('GET', BASE, { token: stranger.token })).body, [])
    const mine = await t.request('GET', path, { token: owner.token })
    assert.equal(mine.body.enabled, true)
    assertProblem(await t.request('GET', `${BASE}/not-a-uuid`, { token: owner.token }), 404, 'not_found')
  })
})

describeEachBackend(
  'webhook endpoints with OUTBOUND_ALLOW_PRIVATE=true (development)',
  (use) => {
    test('private and loopback targets are allowed, and plain http to them only', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      for (const url of ['http://127.0.0.1:9000/hook', 'https://10.1.2.3/', 'http://localhost:3000/']) {
        const r = await t.request('POST', BASE, { token, json: { url } })
        assert.equal(r.status, 201, `${url}: ${r.text}`)
      }
      assertProblem(
        await t.request('POST', BASE, { token, json: { url: 'http://hooks.example.com/' } }),
        400,
        'validation',
      )
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)

test('the save-time check refuses a name with any private address, names no address, and lets names that do not resolve pass', async () => {
  const answer =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: 4 }))
  const refusal = [{ pointer: '/url', message: 'must not resolve to a private, loopback or link-local address' }]
  assert.deepEqual(
    await resolvedAddressIssues('https://h.example/', false, answer('93.184.216.34', '10.0.0.5')),
    refusal,
  )
  assert.deepEqual(await resolvedAddressIssues('https://h.example/', false, answer('169.254.169.254')), refusal)
  assert.deepEqual(await resolvedAddressIssues('https://h.example/', false, answer('93.184.216.34')), [])
  assert.deepEqual(await resolvedAddressIssues('https://h.example/', true, answer('10.0.0.5')), [], 'allowed')
  const unknown = async () => Promise.reject(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }))
  assert.deepEqual(await resolvedAddressIssues('https://h.example/', false, unknown), [], 'checked at delivery')
})
