import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makeSubmissionWithAssets, readFixture, uploadPath } from '../support/asset-factory.js'
import { checkAnswer, DocumentSchemas, type OpenApiDocument } from '../support/contract.js'
import { makePartnerWithToken } from '../support/factories.js'
import { freshBatch, STATUS_BULK, statusPath, V2_BATCH, v1Path, v2Body, v2Path } from '../support/intake-helpers.js'

/**
 * The contract: every answer the API gives is one /openapi.json documents for its operation — a
 * documented status, with its media type, and a body that matches the documented schema (ajv
 * against the document). The check (test/support/contract.ts) is an `onSend` hook installed on
 * the test app with `{ contract: true }`; the suite's `after` fails on any mismatch. It covers
 * every route the document lists, so routes added later (webhooks) are checked as soon as a
 * contract-checked suite calls them. test/security/partner-routes.table.ts runs every route's
 * success and its auth errors under it; this file adds the main errors of each kind, and shows
 * that the check finds what it should.
 */

describeEachBackend(
  'Contract: answers match /openapi.json (successes and the main errors)',
  (use) => {
    const post = async (t: TestApp, path: string, json: unknown, token: string) =>
      t.request('POST', path, { json, token })

    test('intake: 201, replayed 201, 400 validation, 400 malformed JSON, 415, 409 id conflict, 413 batch too large', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      const body = v2Body('education')
      assert.equal((await post(t, v2Path('education'), body, token)).status, 201)
      assert.equal((await post(t, v2Path('education'), body, token)).status, 201)
      const changed = { ...body, fields: { ...body.fields, full_name: 'Someone Else' } }
      assert.equal((await post(t, v2Path('education'), changed, token)).status, 409)
      assert.equal((await post(t, v2Path('education'), { credential_id: randomUUID(), fields: {} }, token)).status, 400)
      const malformed = await t.request('POST', v1Path('education'), {
        body: '{"id":',
        headers: { 'content-type': 'application/json' },
        token,
      })
      assert.equal(malformed.status, 400)
      const text = await t.request('POST', V2_BATCH, {
        body: 'hello',
        headers: { 'content-type': 'text/plain' },
        token,
      })
      assert.equal(text.status, 415)
      const { body: batch } = freshBatch()
      batch.education_items = Array.from({ length: 101 }, (_, i) => ({
        ...batch.education_items[0],
        credential_id: `${batch.credential_id}-many-${i}`,
        assets: [],
      }))
      assert.equal((await post(t, V2_BATCH, batch, token)).status, 413)
      const badKey = await t.request('POST', v2Path('education'), {
        json: v2Body('education'),
        token,
        headers: { 'idempotency-key': 'has spaces in it' },
      })
      assert.equal(badKey.status, 400)
    })

    test('status: 200 single and bulk, 404 unknown id, 400 more than 30 ids; me: 200', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      const { id, body } = freshBatch()
      assert.equal((await post(t, V2_BATCH, body, token)).status, 201)
      assert.equal((await t.request('GET', statusPath(id), { token })).status, 200)
      assert.equal((await t.request('GET', statusPath('REF-unknown'), { token })).status, 404)
      assert.equal((await post(t, STATUS_BULK, { ids: [id, 'REF-unknown'] }, token)).status, 200)
      const many = Array.from({ length: 31 }, (_, i) => `id-${i}`)
      assert.equal((await post(t, STATUS_BULK, { ids: many }, token)).status, 400)
      assert.equal((await t.request('GET', '/api/partner/v1/me.json', { token })).status, 200)
    })

    test('uploads: 201, then 409 used link, 415 wrong type; token: 200 and OAuth errors; health: 200', async () => {
      const t = use()
      const { assets } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }, { assetType: 'pdf' }] })
      const pdf = { 'content-type': 'application/pdf' }
      const url = await uploadPath(t, assets[0]!)
      assert.equal((await t.request('PUT', url, { body: readFixture('documents/tiny.pdf'), headers: pdf })).status, 201)
      assert.equal((await t.request('PUT', url, { body: readFixture('documents/tiny.pdf'), headers: pdf })).status, 409)
      const png = { 'content-type': 'image/png' }
      const other = await uploadPath(t, assets[1]!)
      assert.equal(
        (await t.request('PUT', other, { body: readFixture('documents/tiny.pdf'), headers: png })).status,
        415,
      )
      const token = '/api/partner/v1/oauth/token.json'
      assert.equal((await t.request('POST', token, { json: { grant_type: 'password' } })).status, 400)
      assert.equal((await t.request('POST', token, { json: { grant_type: 'client_credentials' } })).status, 401)
      for (const path of ['/healthz', '/readyz']) assert.equal((await t.request('GET', path)).status, 200)
    })

    test('the check finds an undocumented status, media type or body', async () => {
      const t = use()
      const schemas = new DocumentSchemas((await t.request('GET', '/openapi.json')).body as OpenApiDocument)
      const me = { method: 'GET', path: '/api/partner/v1/me.json', contentType: 'application/json' }
      const good = { partner_id: 'p', client_id: 'c', scopes: [] }
      assert.deepEqual(checkAnswer(schemas, { ...me, status: 200, body: good }), [])
      assert.match(checkAnswer(schemas, { ...me, status: 418, body: good })[0] ?? '', /status not documented/)
      assert.match(
        checkAnswer(schemas, { ...me, status: 200, contentType: 'text/html', body: 'x' })[0] ?? '',
        /content type text\/html not documented/,
      )
      assert.match(checkAnswer(schemas, { ...me, status: 200, body: { ...good, scopes: 'x' } })[0] ?? '', /scopes/)
      const problem = { type: '/problems/not_found', title: 'Not found', status: 404, instance: '/x', request_id: 'r' }
      const notFound = { ...me, contentType: 'application/problem+json' }
      assert.match(checkAnswer(schemas, { ...notFound, status: 404, body: problem })[0] ?? '', /status not documented/)
      const status = { ...notFound, path: '/api/partner/v1/submissions/{id}/status.json', status: 404 }
      assert.deepEqual(checkAnswer(schemas, { ...status, body: problem }), [])
      assert.ok(checkAnswer(schemas, { ...status, body: { ...problem, type: '/problems/conflict' } }).length > 0)
      assert.ok(checkAnswer(schemas, { ...status, body: { ...problem, status: 400 } }).length > 0)
      assert.deepEqual(use().contractMismatches, [], 'so far, every answer of this suite is documented')
    })
  },
  {},
  { contract: true },
)

describeEachBackend(
  'Contract: 429 of the per-client rate limit matches /openapi.json',
  (use) => {
    test('beyond PARTNER_RATE_LIMIT → 429 problem, as documented', async () => {
      const t = use()
      const { token } = await makePartnerWithToken(t)
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) statuses.push((await t.request('GET', '/api/partner/v1/me.json', { token })).status)
      assert.deepEqual(statuses, [200, 200, 200, 429])
    })
  },
  { PARTNER_RATE_LIMIT: '3' },
  { contract: true },
)
