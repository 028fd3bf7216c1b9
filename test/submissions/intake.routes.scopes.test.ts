import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartner, makePartnerWithToken, tokenFor } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  STATUS_BULK,
  TYPES,
  V1_BATCH,
  V2_BATCH,
  WRITE_SCOPES,
  countSubmissions,
  freshBatch,
  statusPath,
  v1BatchOf,
  v1Body,
  v1Path,
  v2BatchOf,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Scopes of the intake and status endpoints (spec §1): each type needs its own `write.*` scope, a
 * batch needs the scopes of all its non-empty sections (the 403 lists every missing one), and the
 * status API takes `read.submissions` or any `write.*` scope.
 */

const sorted = (list: readonly string[]) => [...list].sort()

function assertMissingScopes(response: HttpResponse, missing: string[]): void {
  assertProblem(response, 403, 'insufficient_scope')
  assert.deepEqual(sorted(response.body.missing_scopes), sorted(missing), response.text)
  const challenge = response.headers.get('www-authenticate') ?? ''
  assert.match(challenge, /error="insufficient_scope"/)
  for (const scope of missing) assert.ok(challenge.includes(scope), challenge)
}

/** Every single-add endpoint: v1 where the type exists there, v2 with and without `.json`. */
const SINGLE_ENDPOINTS = TYPES.flatMap((type) => [
  ...(type.v1NoDocument === null ? [] : [{ type, url: v1Path(type.name), body: () => v1Body(type.name) }]),
  { type, url: v2Path(type.name), body: () => v2Body(type.name) },
  { type, url: v2Path(type.name, false), body: () => v2Body(type.name) },
])

describeEachBackend('scopes of the intake endpoints', (use) => {
  test('each single endpoint × a token lacking its type’s scope → 403 naming exactly that scope; nothing stored', async () => {
    const t = use()
    for (const type of TYPES) {
      const client = await makePartner(t, { scopes: ALL_SCOPES.filter((s) => s !== type.scope) })
      const token = await tokenFor(t, client)
      for (const endpoint of SINGLE_ENDPOINTS.filter((e) => e.type === type)) {
        assertMissingScopes(await t.request('POST', endpoint.url, { json: endpoint.body(), token }), [type.scope])
      }
      assert.equal(await countSubmissions(t, client.partner_id), 0)
    }
  })

  test('a token requested without the type’s scope (the client holds it) → 403 too', async () => {
    const t = use()
    const client = await makePartner(t)
    const token = await tokenFor(t, client, 'write.education read.submissions')
    assertMissingScopes(
      await t.request('POST', v2Path('microcredential'), { json: v2Body('microcredential'), token }),
      ['write.microcredential'],
    )
    assertMissingScopes(await t.request('POST', v1Path('right_to_work'), { json: v1Body('right_to_work'), token }), [
      'write.right_to_work',
    ])
    assert.equal((await t.request('POST', v1Path('education'), { json: v1Body('education'), token })).status, 201)
  })

  test('each single endpoint accepts a client holding only its type’s scope', async () => {
    const t = use()
    for (const type of TYPES) {
      const { token } = await makePartnerWithToken(t, { scopes: [type.scope] })
      for (const endpoint of SINGLE_ENDPOINTS.filter((e) => e.type === type)) {
        const response = await t.request('POST', endpoint.url, { json: endpoint.body(), token })
        assert.equal(response.status, 201, `${endpoint.url}: ${response.text}`)
      }
    }
  })

  test('v2 batch: the full sample with only write.education → 403 listing the six other write scopes', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const response = await t.request('POST', V2_BATCH, { json: freshBatch().body, token })
    assertMissingScopes(
      response,
      WRITE_SCOPES.filter((s) => s !== 'write.education'),
    )
    assert.equal(response.body.missing_scopes.length, 6)
    assert.equal(await countSubmissions(t, client.partner_id), 0)
  })

  test('v2 batch: a client with read.submissions only is missing all seven write scopes', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, { scopes: ['read.submissions'] })
    assertMissingScopes(await t.request('POST', V2_BATCH, { json: freshBatch().body, token }), [...WRITE_SCOPES])
  })

  test('v2 batch: only non-empty sections need their scope', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, { scopes: ['write.career_history', 'write.right_to_work'] })
    const body = {
      ...v2BatchOf(['career_history', 'right_to_work']),
      education_items: [],
      universal_credential_items: [],
      digital_identity: null,
    }
    const response = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(response.status, 201, response.text)
    const wider = v2BatchOf(['career_history', 'right_to_work', 'english_proficiency', 'digital_identity'])
    assertMissingScopes(await t.request('POST', V2_BATCH, { json: wider, token }), [
      'write.english_proficiency',
      'write.digital_identity',
    ])
  })

  test('v1 batch: needs the scope of every type it contains; the 403 lists all missing', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t, { scopes: ['write.education'] })
    const body = v1BatchOf(['education', 'right_to_work', 'microcredential', 'right_to_work'])
    assertMissingScopes(await t.request('POST', V1_BATCH, { json: body, token }), [
      'write.right_to_work',
      'write.microcredential',
    ])
    assert.equal(
      (await t.request('POST', V1_BATCH, { json: v1BatchOf(['education', 'education']), token })).status,
      201,
    )
  })
})

describeEachBackend('scopes of the status endpoints', (use) => {
  /** A partner holding every scope, with one submission made with a full token. */
  async function partnerWithSubmission(t: TestApp) {
    const { client, token } = await makePartnerWithToken(t)
    const id = randomUUID()
    const created = await t.request('POST', v2Path('education'), { json: v2Body('education', id), token })
    assert.equal(created.status, 201, created.text)
    return { client, id }
  }

  test('read.submissions alone reads status (GET and bulk), but cannot add credentials', async () => {
    const t = use()
    const { client, id } = await partnerWithSubmission(t)
    const token = await tokenFor(t, client, 'read.submissions')
    const one = await t.request('GET', statusPath(id), { token })
    assert.equal(one.status, 200, one.text)
    assert.equal(one.body.id, id)
    const bulk = await t.request('POST', STATUS_BULK, { json: { ids: [id] }, token })
    assert.equal(bulk.status, 200, bulk.text)
    assert.equal(bulk.body.credentials[0].status, 'incomplete')
    assertMissingScopes(await t.request('POST', v2Path('education'), { json: v2Body('education'), token }), [
      'write.education',
    ])
  })

  test('any single write.* scope reads the status of the partner’s own submissions', async () => {
    const t = use()
    const { client, id } = await partnerWithSubmission(t)
    for (const scope of WRITE_SCOPES) {
      const token = await tokenFor(t, client, scope)
      const one = await t.request('GET', statusPath(id), { token })
      assert.equal(one.status, 200, `${scope}: ${one.text}`)
      const bulk = await t.request('POST', STATUS_BULK, { json: { ids: [id, 'unknown'] }, token })
      assert.equal(bulk.status, 200, `${scope}: ${bulk.text}`)
      assert.deepEqual(
        bulk.body.credentials.map((c: any) => c.status),
        ['incomplete', 'not_found'],
      )
    }
  })
})

// The shared security suite (401s, 403s, a valid request's success, another partner's resource) runs for
// every intake and status route, and every other route under /api/, in test/security/partner-routes.table.ts.
