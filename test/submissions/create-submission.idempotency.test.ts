import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import { newHolder } from '../corrections/support.js'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { uploadThroughLink } from '../support/asset-factory.js'
import { assertProblem } from '../support/security-suite.js'
import {
  STATUS_BULK,
  V2_BATCH,
  countSubmissions,
  freshBatch,
  postRaw,
  requestIdOf,
  statusPath,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * Idempotency of the intake endpoints (spec §10): the partner's id (and an Idempotency-Key header)
 * replays the first answer for the same body, conflicts for another body, is per partner, and holds
 * under concurrent requests. Expiry (SUBMISSION_TTL) is in create-submission.idempotency-expiry.test.ts.
 */

const REPLAYED = 'idempotent-replayed'

function assertCreated(response: HttpResponse, replayed: boolean): void {
  assert.equal(response.status, 201, response.text)
  assert.equal(response.headers.get(REPLAYED), replayed ? 'true' : null, `${REPLAYED} header`)
}

/** Every key of every object in reverse order: the same JSON value, written differently. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys)
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    )
  return value
}

describeEachBackend('idempotency on the partner’s id', (use) => {
  const partner = (t: TestApp) => makePartnerWithToken(t)

  test('v1: same id + same body → 201 with the same redirect_uri, replay header, one submission', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const body = v1Body('education')
    const first = await t.request('POST', v1Path('education'), { json: body, token })
    assertCreated(first, false)
    const again = await t.request('POST', v1Path('education'), { json: body, token })
    assertCreated(again, true)
    assert.deepEqual(again.body, first.body)
    assert.equal(await countSubmissions(t, client.partner_id, body.id), 1)
    assert.equal(await countSubmissions(t, client.partner_id), 1)
  })

  test('v2 batch: the replay carries fresh upload links (new expires and sig) for the same assets', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const { id, body } = freshBatch()
    const first = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(first, false)
    t.clock.advance(60_000)
    const again = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(again, true)
    assert.equal(again.body.redirect_uri, first.body.redirect_uri)
    assert.equal(await countSubmissions(t, client.partner_id, id), 1)

    const links = (r: HttpResponse) => (r.body.asset_uploads as any[]).map((u) => ({ ...u, parsed: new URL(u.url) }))
    const [before, after] = [links(first), links(again)]
    assert.deepEqual(
      after.map((u) => u.asset_id),
      before.map((u) => u.asset_id),
    )
    for (const [i, link] of after.entries()) {
      const old = before[i]!
      assert.equal(link.parsed.pathname, old.parsed.pathname, 'same asset')
      assert.equal(Number(link.parsed.searchParams.get('expires')) - Number(old.parsed.searchParams.get('expires')), 60)
      assert.notEqual(link.parsed.searchParams.get('sig'), old.parsed.searchParams.get('sig'))
      assert.equal(Date.parse(link.expires_at) - Date.parse(old.expires_at), 60_000)
    }
  })

  test('v2 batch: after one asset is uploaded, a replay carries links only for the three still awaited', async () => {
    const t = use()
    const { token } = await partner(t)
    const { id, body } = freshBatch()
    const first = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(first, false)
    const pdfAsset = `${id}-micro-1-asset`
    const link = (first.body.asset_uploads as any[]).find((u) => u.asset_id === pdfAsset)
    const uploaded = await uploadThroughLink(t, link, 'pdf')
    assert.equal(uploaded.status, 201, uploaded.text)

    const again = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(again, true)
    assert.equal(again.body.redirect_uri, first.body.redirect_uri)
    const awaited = (first.body.asset_uploads as any[]).map((u) => u.asset_id).filter((assetId) => assetId !== pdfAsset)
    assert.deepEqual(
      (again.body.asset_uploads as any[]).map((u) => u.asset_id),
      awaited,
    )
    assert.equal(awaited.length, 3)
    const status = await t.request('GET', statusPath(id), { token })
    const states = Object.fromEntries(
      (status.body.items as any[]).flatMap((item) => item.assets).map((a: any) => [a.asset_id, a.state]),
    )
    assert.equal(states[pdfAsset], 'received')
  })

  test('v2 batch: once the holder decided, a replay answers the same redirect_uri with no upload links (uploads would be refused)', async () => {
    const t = use()
    const { token } = await partner(t)
    const { body } = freshBatch()
    const first = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(first, false)
    assert.equal((first.body.asset_uploads as any[]).length, 4)
    const submissionId = requestIdOf(first.body.redirect_uri)
    const holderId = await newHolder(t)
    await bindHolder(t.deps, { submissionId, holderId })
    await acceptByHolder(t.deps, { submissionId, holderId })

    const again = await t.request('POST', V2_BATCH, { json: body, token })
    assertCreated(again, true)
    assert.equal(again.body.redirect_uri, first.body.redirect_uri)
    assert.deepEqual(again.body.asset_uploads, [])
    // The links of the first answer are refused, as they were before.
    const refused = await uploadThroughLink(t, (first.body.asset_uploads as any[])[0], 'pdf')
    assert.equal(refused.status, 409, refused.text)
  })

  test('key order and white space do not make another body', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const { id, body } = freshBatch()
    const first = await postRaw(t, V2_BATCH, JSON.stringify(body), token)
    assertCreated(first, false)
    const rewritten = await postRaw(t, V2_BATCH, `\n  ${JSON.stringify(reverseKeys(body), null, 4)}\n\n`, token)
    assertCreated(rewritten, true)
    assert.equal(rewritten.body.redirect_uri, first.body.redirect_uri)
    assert.equal(await countSubmissions(t, client.partner_id, id), 1)
  })

  test('same id + different body → 409 /problems/id_conflict; the first submission stays', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const v1 = v1Body('education')
    const v2 = v2Body('microcredential')
    const batch = freshBatch()
    const firsts = [
      await t.request('POST', v1Path('education'), { json: v1, token }),
      await t.request('POST', v2Path('microcredential'), { json: v2, token }),
      await t.request('POST', V2_BATCH, { json: batch.body, token }),
    ]
    for (const response of firsts) assertCreated(response, false)

    const changedBatch = structuredClone(batch.body)
    changedBatch.education_items[1].fields.majors = ['IT', 'Maths']
    const conflicts = [
      await t.request('POST', v1Path('education'), {
        json: { ...v1, data: { credential: { ...v1.data.credential, course_name: 'MSc' } } },
        token,
      }),
      await t.request('POST', v2Path('microcredential'), {
        json: { ...v2, fields: { ...v2.fields, issue_date: '2024-05-01' } },
        token,
      }),
      await t.request('POST', V2_BATCH, { json: changedBatch, token }),
      // The same id at another endpoint is another body too.
      await t.request('POST', v2Path('right_to_work'), { json: v2Body('right_to_work', v1.id), token }),
    ]
    for (const response of conflicts) {
      assertProblem(response, 409, 'id_conflict')
      assert.ok(response.body.detail.length > 0)
    }
    for (const [id, first] of [
      [v1.id, firsts[0]!],
      [v2.credential_id, firsts[1]!],
      [batch.id, firsts[2]!],
    ] as const) {
      assert.equal(await countSubmissions(t, client.partner_id, id), 1)
      const status = await t.request('GET', statusPath(id), { token })
      assert.equal(status.body.request_id, requestIdOf(first.body.redirect_uri))
    }
  })

  test('Idempotency-Key: same key + same body → same answer; different body → 409; invalid key → 400', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const headers = { 'idempotency-key': `key-${randomUUID()}` }
    const body = v2Body('education')
    const first = await t.request('POST', v2Path('education'), { json: body, token, headers })
    assertCreated(first, false)
    const again = await t.request('POST', v2Path('education'), { json: body, token, headers })
    assertCreated(again, true)
    assert.deepEqual(again.body, first.body)

    const other = v2Body('education')
    assertProblem(await t.request('POST', v2Path('education'), { json: other, token, headers }), 409, 'id_conflict')
    assert.equal(await countSubmissions(t, client.partner_id, other.credential_id), 0)
    assertCreated(
      await t.request('POST', v2Path('education'), {
        json: other,
        token,
        headers: { 'idempotency-key': `key-${randomUUID()}` },
      }),
      false,
    )

    for (const bad of ['k'.repeat(300), 'has spaces in it', 'tab\there']) {
      const response = await t.request('POST', v2Path('education'), {
        json: v2Body('education'),
        token,
        headers: { 'idempotency-key': bad },
      })
      assertProblem(response, 400, 'invalid_parameter')
      assert.match(response.body.detail, /Idempotency-Key/)
    }
    const maxKey = await t.request('POST', v2Path('education'), {
      json: v2Body('education'),
      token,
      headers: { 'idempotency-key': 'k'.repeat(255) },
    })
    assertCreated(maxKey, false)
    assert.equal(await countSubmissions(t, client.partner_id), 3)
  })

  test('partners are isolated: the same ids make separate submissions; another partner’s id is not found', async () => {
    const t = use()
    const a = await partner(t)
    const b = await partner(t)
    const shared = v1Body('education')
    const fromA = await t.request('POST', v1Path('education'), { json: shared, token: a.token })
    const fromB = await t.request('POST', v1Path('education'), { json: shared, token: b.token })
    assertCreated(fromA, false)
    assertCreated(fromB, false)
    assert.notEqual(requestIdOf(fromA.body.redirect_uri), requestIdOf(fromB.body.redirect_uri))
    assert.ok(fromB.body.redirect_uri.includes(`clientId=${b.client.client_id}`))
    const statusA = await t.request('GET', statusPath(shared.id), { token: a.token })
    const statusB = await t.request('GET', statusPath(shared.id), { token: b.token })
    assert.equal(statusA.body.request_id, requestIdOf(fromA.body.redirect_uri))
    assert.equal(statusB.body.request_id, requestIdOf(fromB.body.redirect_uri))

    const onlyA = freshBatch()
    assertCreated(await t.request('POST', V2_BATCH, { json: onlyA.body, token: a.token }), false)
    assertProblem(await t.request('GET', statusPath(onlyA.id), { token: b.token }), 404, 'not_found')
    assertProblem(await t.request('GET', statusPath(`${onlyA.id}-edu-1`), { token: b.token }), 404, 'not_found')
    const bulk = await t.request('POST', STATUS_BULK, { json: { ids: [onlyA.id, shared.id] }, token: b.token })
    assert.equal(bulk.status, 200, bulk.text)
    assert.deepEqual(bulk.body.credentials[0], { id: onlyA.id, status: 'not_found', finalized_at: null })
    assert.equal(bulk.body.credentials[1].request_id, requestIdOf(fromB.body.redirect_uri))
  })

  test('10 identical requests at once → all 201 with the same redirect_uri, exactly one submission (v1 single, v2 batch)', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const v1 = v1Body('education')
    const batch = freshBatch()
    for (const [url, json, id] of [
      [v1Path('education'), v1, v1.id],
      [V2_BATCH, batch.body, batch.id],
    ] as const) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => t.request('POST', url, { json, token })))
      for (const response of responses) assert.equal(response.status, 201, response.text)
      assert.equal(new Set(responses.map((r) => r.body.redirect_uri)).size, 1)
      assert.equal(
        responses.filter((r) => r.headers.get(REPLAYED) === null).length,
        1,
        'exactly one request created it',
      )
      assert.equal(await countSubmissions(t, client.partner_id, id), 1)
    }
  })

  test('10 different bodies for one id at once → exactly one 201, nine 409, one submission', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const id = randomUUID()
    const bodies = Array.from({ length: 10 }, (_, i) =>
      v2Body('education', id, { ...v2Body('education').fields, course_name: `Course ${i}` }),
    )
    const responses = await Promise.all(bodies.map((json) => t.request('POST', v2Path('education'), { json, token })))
    assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409, 409, 409, 409, 409])
    for (const r of responses.filter((r) => r.status === 409)) assertProblem(r, 409, 'id_conflict')
    assert.equal(await countSubmissions(t, client.partner_id, id), 1)
  })

  test('10 identical requests with one Idempotency-Key at once → one submission', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const body = v2Body('education')
    const headers = { 'idempotency-key': randomUUID() }
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => t.request('POST', v2Path('education'), { json: body, token, headers })),
    )
    for (const response of responses) assert.equal(response.status, 201, response.text)
    assert.equal(new Set(responses.map((r) => r.body.redirect_uri)).size, 1)
    assert.equal(await countSubmissions(t, client.partner_id), 1)
  })
})
