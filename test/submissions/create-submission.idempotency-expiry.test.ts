import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { eq } from 'drizzle-orm'
import { idempotencyKeys } from '../../src/db/schema.js'
import { purgeExpiredIdempotencyKeys } from '../../src/modules/submissions/submissions.repo.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartner, tokenFor } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import {
  V2_BATCH,
  freshBatch,
  requestIdOf,
  statusPath,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
} from '../support/intake-helpers.js'

/**
 * The partner's id is idempotent for SUBMISSION_TTL (48 h, spec §10): just before, it replays;
 * from then on it starts a new submission with a new request id, and until then the old one is
 * reported `canceled`, finalized at its expiry. The clock only moves forward in this file, so
 * every test takes a fresh token after moving it (tokens live 2 h).
 */

const HOUR = 3_600_000
const TTL = 48 * HOUR

describeEachBackend('idempotency across SUBMISSION_TTL', (use) => {
  async function start(t: TestApp) {
    const client = await makePartner(t)
    return { client, token: await tokenFor(t, client) }
  }

  test('one second before the TTL the same id and body still replay the first answer', async () => {
    const t = use()
    const { client, token } = await start(t)
    const body = v1Body('education')
    const first = await t.request('POST', v1Path('education'), { json: body, token })
    assert.equal(first.status, 201, first.text)
    t.clock.advance(TTL - 1000)
    const fresh = await tokenFor(t, client)
    const again = await t.request('POST', v1Path('education'), { json: body, token: fresh })
    assert.equal(again.status, 201, again.text)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(again.body.redirect_uri, first.body.redirect_uri)
    assertProblem(
      await t.request('POST', v1Path('education'), {
        json: { ...body, document_type: 'pdf', data: { ...body.data, document: 'https://example.com/x.pdf' } },
        token: fresh,
      }),
      409,
      'id_conflict',
    )
    t.clock.advance(2000) // past this submission's expiry, so later tests start clean
  })

  test('after the TTL: the old submission is canceled at its expiry, then the id starts a new one', async () => {
    const t = use()
    const { client, token } = await start(t)
    const { id, body } = freshBatch()
    const first = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(first.status, 201, first.text)
    const created = await t.request('GET', statusPath(id), { token })
    assert.equal(created.body.status, 'incomplete')
    const expiresAt = created.body.expires_at as string
    assert.equal(Date.parse(expiresAt) - Date.parse(created.body.created_at), TTL)

    t.clock.advance(TTL + 60_000)
    const fresh = await tokenFor(t, client)
    const expired = await t.request('GET', statusPath(id), { token: fresh })
    assert.equal(expired.status, 200, expired.text)
    assert.equal(expired.body.status, 'canceled')
    assert.equal(expired.body.finalized_at, expiresAt)
    assert.equal(expired.body.request_id, requestIdOf(first.body.redirect_uri))

    const reused = await t.request('POST', V2_BATCH, { json: body, token: fresh })
    assert.equal(reused.status, 201, reused.text)
    assert.equal(reused.headers.get('idempotent-replayed'), null)
    const newRequestId = requestIdOf(reused.body.redirect_uri)
    assert.notEqual(newRequestId, requestIdOf(first.body.redirect_uri))
    assert.equal(reused.body.asset_uploads.length, 4)

    const now = await t.request('GET', statusPath(id), { token: fresh })
    assert.equal(now.body.status, 'incomplete')
    assert.equal(now.body.finalized_at, null)
    assert.equal(now.body.request_id, newRequestId)
    for (const asset of now.body.items.flatMap((i: any) => i.assets)) assert.equal(asset.state, 'awaiting_upload')
    const item = await t.request('GET', statusPath(`${id}-edu-1`), { token: fresh })
    assert.equal(item.body.request_id, newRequestId, 'item ids answer for the new submission')

    const replay = await t.request('POST', V2_BATCH, { json: body, token: fresh })
    assert.equal(replay.headers.get('idempotent-replayed'), 'true')
    assert.equal(replay.body.redirect_uri, reused.body.redirect_uri)
  })

  test('after the TTL the id may carry another body (no 409)', async () => {
    const t = use()
    const { client, token } = await start(t)
    const id = randomUUID()
    assert.equal((await t.request('POST', v2Path('education'), { json: v2Body('education', id), token })).status, 201)
    t.clock.advance(TTL)
    const fresh = await tokenFor(t, client)
    const other = await t.request('POST', v2Path('microcredential'), {
      json: v2Body('microcredential', id),
      token: fresh,
    })
    assert.equal(other.status, 201, other.text)
    assert.match(other.body.redirect_uri, /\/partner\/add\/microcredential#/)
    const status = await t.request('GET', statusPath(id), { token: fresh })
    assert.equal(status.body.items[0].credential_type, 'microcredential')
  })

  test('an Idempotency-Key expires with its submission', async () => {
    const t = use()
    const { client, token } = await start(t)
    const headers = { 'idempotency-key': randomUUID() }
    const first = await t.request('POST', v2Path('education'), { json: v2Body('education'), token, headers })
    assert.equal(first.status, 201, first.text)
    t.clock.advance(TTL + 1000)
    const other = await t.request('POST', v2Path('education'), {
      json: v2Body('education'),
      token: await tokenFor(t, client),
      headers,
    })
    assert.equal(other.status, 201, other.text)
    assert.notEqual(requestIdOf(other.body.redirect_uri), requestIdOf(first.body.redirect_uri))
  })

  test('expired Idempotency-Keys are purged in bounded passes; keys still in force stay', async () => {
    const t = use()
    const { client, token } = await start(t)
    const keyOf = (i: number) => `purge-${i}-${randomUUID()}`
    const old = [keyOf(1), keyOf(2), keyOf(3)]
    for (const key of old) {
      const response = await t.request('POST', v2Path('education'), {
        json: v2Body('education'),
        token,
        headers: { 'idempotency-key': key },
      })
      assert.equal(response.status, 201, response.text)
    }
    t.clock.advance(TTL + 1000)
    const current = keyOf(4)
    const fresh = await t.request('POST', v2Path('education'), {
      json: v2Body('education'),
      token: await tokenFor(t, client),
      headers: { 'idempotency-key': current },
    })
    assert.equal(fresh.status, 201, fresh.text)

    const keysLeft = async () =>
      (
        await t.deps.db
          .select({ key: idempotencyKeys.key })
          .from(idempotencyKeys)
          .where(eq(idempotencyKeys.partnerId, client.partner_id))
      )
        .map((r) => r.key)
        .sort()
    assert.equal((await keysLeft()).length, 4)
    // A pass deletes at most its limit (expired keys of earlier tests' partners count too).
    assert.equal(await purgeExpiredIdempotencyKeys(t.deps.db, t.clock.now(), 2), 2)
    while ((await purgeExpiredIdempotencyKeys(t.deps.db, t.clock.now(), 2)) > 0);
    assert.deepEqual(await keysLeft(), [current])
  })
})
