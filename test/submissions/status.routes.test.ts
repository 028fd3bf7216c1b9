import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartner, makePartnerWithToken, tokenFor } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  STATUS_BULK,
  V1_BATCH,
  V2_BATCH,
  assertValidation,
  freshBatch,
  requestIdOf,
  statusPath,
  v1BatchOf,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/** The status API (spec §8): one id (GET) or 1 to 30 ids (POST), submission and item ids, expiry. */

const notFound = (id: string) => ({ id, status: 'not_found', finalized_at: null })

describeEachBackend('status API', (use) => {
  let auth: { token: string } | undefined
  const token = async () => (auth ??= await makePartnerWithToken(use())).token
  const submit = async (url: string, json: any) => {
    const response = await use().request('POST', url, { json, token: await token() })
    assert.equal(response.status, 201, response.text)
    return requestIdOf(response.body.redirect_uri)
  }
  const bulk = async (ids: unknown) => use().request('POST', STATUS_BULK, { json: { ids }, token: await token() })

  test('GET of an unknown id → 404 problem', async () => {
    const response = await use().request('GET', statusPath(`unknown-${randomUUID()}`), { token: await token() })
    assertProblem(response, 404, 'not_found')
    assert.ok(response.body.detail.length > 0)
  })

  test('GET of a single add: incomplete, not finalized, its request id, one item', async () => {
    const id = randomUUID()
    const requestId = await submit(v1Path('right_to_work'), v1Body('right_to_work', id))
    const response = await use().request('GET', statusPath(id), { token: await token() })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.id, id)
    assert.equal(response.body.status, 'incomplete')
    assert.equal(response.body.finalized_at, null)
    assert.equal(response.body.request_id, requestId)
    assert.equal(response.body.opened_at, null)
    assert.deepEqual(
      response.body.items.map((i: any) => [i.id, i.credential_type, i.status, i.assets]),
      [[id, 'right_to_work', 'incomplete', []]],
    )
  })

  test('ids with reserved URL characters work when percent-encoded', async () => {
    const id = `odd id/with?chars#${randomUUID()}`
    const requestId = await submit(v2Path('education'), v2Body('education', id))
    const response = await use().request('GET', statusPath(id), { token: await token() })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.id, id)
    assert.equal(response.body.request_id, requestId)
  })

  test('bulk: 1 id, and 30 ids in request order, unknown ones as not_found', async () => {
    const known: string[] = [randomUUID(), randomUUID(), randomUUID()]
    for (const id of known) await submit(v2Path('microcredential'), v2Body('microcredential', id))
    const one = await bulk([known[0]])
    assert.equal(one.status, 200, one.text)
    assert.deepEqual(
      one.body.credentials.map((c: any) => [c.id, c.status, c.finalized_at]),
      [[known[0], 'incomplete', null]],
    )

    const ids = Array.from({ length: 30 }, (_, i) => (i % 10 === 3 ? known[(i - 3) / 10]! : `missing-${i}`))
    const thirty = await bulk(ids)
    assert.equal(thirty.status, 200, thirty.text)
    assert.deepEqual(
      thirty.body.credentials.map((c: any) => c.id),
      ids,
    )
    for (const [i, entry] of thirty.body.credentials.entries()) {
      if (known.includes(ids[i]!)) assert.equal(entry.status, 'incomplete')
      else assert.deepEqual(entry, notFound(ids[i]!))
    }
  })

  test('bulk: the same id twice is answered twice', async () => {
    const id = randomUUID()
    await submit(v2Path('education'), v2Body('education', id))
    const response = await bulk([id, 'nope', id])
    assert.equal(response.status, 200, response.text)
    assert.deepEqual(
      response.body.credentials.map((c: any) => [c.id, c.status]),
      [
        [id, 'incomplete'],
        ['nope', 'not_found'],
        [id, 'incomplete'],
      ],
    )
  })

  test('bulk: 0 ids, 31 ids, no ids member, non-string or empty ids → 400', async () => {
    assertValidation(await bulk([]), [{ pointer: '/ids', message: 'must contain at least one item' }])
    assertValidation(await bulk(Array.from({ length: 31 }, (_, i) => `id-${i}`)), [
      { pointer: '/ids', message: 'must contain at most 30 items' },
    ])
    assertValidation(await use().request('POST', STATUS_BULK, { json: {}, token: await token() }), [
      { pointer: '/ids', message: 'is required' },
    ])
    for (const ids of [[1], ['ok', ''], 'id-1', null]) {
      const response = await bulk(ids)
      assertProblem(response, 400, 'validation')
      assert.ok(
        response.body.errors.every((e: any) => e.pointer.startsWith('/ids')),
        response.text,
      )
    }
  })

  test('item credential ids of a v2 batch and of a v1 batch answer with their submission’s status', async () => {
    const { id, body } = freshBatch()
    const batchRequestId = await submit(V2_BATCH, body)
    const v1 = v1BatchOf(['education', 'career_history'])
    const v1RequestId = await submit(V1_BATCH, v1)
    const itemIds = [`${id}-edu-1`, `${id}-ch`, `${id}-1`, v1.credentials[1]!.id]
    for (const itemId of itemIds) {
      const response = await use().request('GET', statusPath(itemId), { token: await token() })
      assert.equal(response.status, 200, response.text)
      assert.equal(response.body.id, itemId)
      assert.equal(response.body.status, 'incomplete')
      assert.equal(response.body.request_id, itemId === v1.credentials[1]!.id ? v1RequestId : batchRequestId)
    }
    const response = await bulk([id, ...itemIds, v1.id])
    assert.deepEqual(
      response.body.credentials.map((c: any) => [c.id, c.status, c.request_id]),
      [
        [id, 'incomplete', batchRequestId],
        ...itemIds.map((itemId, i) => [itemId, 'incomplete', i === 3 ? v1RequestId : batchRequestId]),
        [v1.id, 'incomplete', v1RequestId],
      ],
    )
  })

  test('an item id used again in a later batch answers with the newest submission holding it', async () => {
    const first = v1BatchOf(['education', 'career_history'])
    const firstRequestId = await submit(V1_BATCH, first)
    use().clock.advance(1000)
    const second = v1BatchOf(['education'])
    const shared = first.credentials[0]!.id
    second.credentials[0]!.id = shared
    const secondRequestId = await submit(V1_BATCH, second)
    assert.notEqual(secondRequestId, firstRequestId)

    const response = await use().request('GET', statusPath(shared), { token: await token() })
    assert.equal(response.status, 200, response.text)
    assert.equal(response.body.request_id, secondRequestId)
    assert.deepEqual(
      response.body.items.map((i: any) => i.id),
      [shared],
    )
    const both = await bulk([shared, first.credentials[1]!.id])
    assert.deepEqual(
      both.body.credentials.map((c: any) => [c.id, c.request_id]),
      [
        [shared, secondRequestId],
        [first.credentials[1]!.id, firstRequestId],
      ],
    )
  })
})

describeEachBackend('status API after expiry', (use) => {
  async function partner(t: TestApp) {
    const client = await makePartner(t)
    return { client, token: await tokenFor(t, client) }
  }

  test('past 48 h: canceled, finalized_at = expires_at, awaiting assets reported missing (GET, bulk, item ids)', async () => {
    const t = use()
    const { client, token } = await partner(t)
    const { id, body } = freshBatch()
    const created = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(created.status, 201, created.text)
    const pdf = v1Body('microcredential')
    Object.assign(pdf, {
      document_type: 'pdf',
      data: { ...pdf.data, document: 'https://example.com/never-fetched.pdf' },
    })
    assert.equal((await t.request('POST', v1Path('microcredential'), { json: pdf, token })).status, 201)
    const before = await t.request('GET', statusPath(id), { token })
    assert.equal(before.body.status, 'incomplete')

    t.clock.advance(48 * 3_600_000 + 1000)
    const fresh = await tokenFor(t, client)
    const after = await t.request('GET', statusPath(id), { token: fresh })
    assert.equal(after.status, 200, after.text)
    assert.equal(after.body.status, 'canceled')
    assert.equal(after.body.finalized_at, before.body.expires_at)
    assert.equal(after.body.request_id, before.body.request_id)
    const assets = after.body.items.flatMap((i: any) => i.assets)
    assert.equal(assets.length, 4)
    for (const asset of assets) assert.equal(asset.state, 'missing', JSON.stringify(asset))
    for (const item of after.body.items) assert.equal(item.status, 'canceled')

    const item = await t.request('GET', statusPath(`${id}-micro-2`), { token: fresh })
    assert.equal(item.body.status, 'canceled')
    assert.equal(item.body.finalized_at, before.body.expires_at)

    const fetchLater = await t.request('GET', statusPath(pdf.id), { token: fresh })
    assert.equal(fetchLater.body.status, 'canceled')
    assert.deepEqual(
      fetchLater.body.items[0].assets.map((a: any) => [a.asset_type, a.state]),
      [['pdf', 'missing']],
    )

    const both = await t.request('POST', STATUS_BULK, { json: { ids: [pdf.id, 'gone', id] }, token: fresh })
    assert.deepEqual(
      both.body.credentials.map((c: any) => [c.id, c.status, c.finalized_at]),
      [
        [pdf.id, 'canceled', fetchLater.body.finalized_at],
        ['gone', 'not_found', null],
        [id, 'canceled', before.body.expires_at],
      ],
    )
  })
})
