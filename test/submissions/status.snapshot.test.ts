import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { it } from 'node:test'
import pg from 'pg'
import { listAssetsOf, listItemsOf } from '../../src/modules/submissions/submissions.repo.js'
import { describeEachBackend, type HttpResponse, type TestApp } from '../support/app.js'
import { makePartner, tokenFor } from '../support/factories.js'
import { STATUS_BULK, V2_BATCH, freshBatch, requestIdOf, statusPath, v2BatchOf } from '../support/intake-helpers.js'

/**
 * Every status answer (spec §8) comes from one snapshot of the database: a decision, an expiry or
 * an upload that commits while a status read is under way is in the answer whole or not at all.
 */

/** A new v2 batch of its own partner: its id, request id and a token to read its status with. */
async function newBatch(t: TestApp, change?: (body: any, id: string) => void) {
  const token = await tokenFor(t, await makePartner(t))
  const { id, body } = freshBatch()
  change?.(body, id)
  const created = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(created.status, 201, created.text)
  return { id, requestId: requestIdOf(created.body.redirect_uri), token }
}

/** Returns once some session waits for a lock on `table` (the status read, stalled by the test's lock). */
async function waitForALockWaitOn(locker: pg.Client, table: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    // Test databases are clones of one template, so their tables share OIDs: the database is named too.
    const waiting = await locker.query(
      `select count(*)::int as n from pg_locks
       where not granted and relation = $1::regclass and database = (select oid from pg_database where datname = current_database())`,
      [table],
    )
    if (waiting.rows[0].n > 0) return
    await sleep(10)
  }
  throw new Error(`no session started waiting for a lock on ${table} within 5 s`)
}

describeEachBackend('status API snapshot', (use) => {
  // Reads split into statements of their own (submissions, then items, then assets) each see what
  // was committed when that statement began: an expiry committing between them showed a submission
  // still `incomplete` beside assets already `missing`. The test makes that moment certain: another
  // session holds an exclusive lock on one table, so the read stalls when it reaches that table;
  // the expiry commits meanwhile (in that session, which may write under its own lock), and the
  // answer must then equal the answer before or the answer after, nothing in between. It stalls
  // the read once at `assets` and once at `submissions`, so that a read split again fails it in
  // whichever order its statements read those two tables. One statement waits for every lock it
  // needs before it takes its snapshot, and a REPEATABLE READ transaction keeps its first one:
  // both pass.
  for (const table of ['assets', 'submissions']) {
    it(`an expiry committing while the read waits for ${table} is in the answer whole or not at all (GET and bulk)`, async (ctx) => {
      const t = use()
      const url = (t.deps.database as { url?: string }).url
      if (t.backend !== 'postgres' || !url) return ctx.skip('PostgreSQL only: PGlite runs one statement at a time')
      const { id, requestId, token } = await newBatch(t)
      const read = {
        get: () => t.request('GET', statusPath(id), { token }),
        bulk: () => t.request('POST', STATUS_BULK, { json: { ids: [id, `${id}-edu-1`] }, token }),
      }

      const locker = new pg.Client({ connectionString: url })
      await locker.connect()
      try {
        for (const [name, request] of Object.entries(read)) {
          const before = await request()
          assert.equal(before.status, 200, before.text)
          await locker.query('begin')
          await locker.query(`lock table ${table} in access exclusive mode`)
          const during = request()
          await waitForALockWaitOn(locker, table)
          // What the expiry job does to it (purgeSubmissionData), as one transaction.
          await locker.query(
            `update submissions set status = 'canceled', cancel_reason = 'expired', finalized_at = expires_at, data_deleted_at = now() where id = $1`,
            [requestId],
          )
          await locker.query(
            `update assets set state = 'missing' where submission_id = $1 and state in ('awaiting_upload', 'awaiting_fetch')`,
            [requestId],
          )
          await locker.query('commit')
          const answer = await during
          const after = await request()
          await locker.query(
            `update submissions set status = 'incomplete', cancel_reason = null, finalized_at = null, data_deleted_at = null where id = $1`,
            [requestId],
          )
          await locker.query(`update assets set state = 'awaiting_upload' where submission_id = $1`, [requestId])

          assert.equal(answer.status, 200, answer.text)
          const states = (response: HttpResponse) =>
            statesOf(name === 'get' ? response.body : response.body.credentials[0])
          assert.deepEqual(states(before), { status: 'incomplete', assets: ['awaiting_upload'] }, 'before')
          assert.deepEqual(states(after), { status: 'canceled', assets: ['missing'] }, 'after')
          assert.ok(
            [before.text, after.text].includes(answer.text),
            `${name} while the expiry committed answered ${JSON.stringify(states(answer))}, which never existed`,
          )
        }
      } finally {
        await locker.query('rollback').catch(() => {})
        await locker.end()
      }
    })
  }

  it('lists items by position and their assets by asset id, as the holder pages do (listItemsOf, listAssetsOf)', async () => {
    const t = use()
    // Assets given in descending order, so that their order in the answer is the one the read makes.
    const { id, requestId, token } = await newBatch(t, (body, batchId) => {
      body.education_items[0].assets = ['c', 'b', 'a'].map((suffix) => ({
        asset_id: `${batchId}-edu-1-${suffix}`,
        asset_type: 'pdf',
      }))
    })
    const response = await t.request('GET', statusPath(id), { token })
    assert.equal(response.status, 200, response.text)
    const items = await listItemsOf(t.deps.db, [requestId])
    const assets = await listAssetsOf(t.deps.db, [requestId])
    const expected = items.map((item) => [
      item.partnerItemId,
      assets.filter((a) => a.itemId === item.id).map((a) => a.partnerAssetId),
    ])
    assert.deepEqual(
      response.body.items.map((item: any) => [item.id, item.assets.map((a: any) => a.asset_id)]),
      expected,
    )
    assert.deepEqual(
      expected.find(([itemId]) => itemId === `${id}-edu-1`)?.[1],
      ['a', 'b', 'c'].map((suffix) => `${id}-edu-1-${suffix}`),
    )
    assert.ok(items.length > 5, 'the sample batch has many items')
  })

  it('ids with quotes, backslashes, SQL and non-ASCII text are found by their own and their items’ ids', async () => {
    // The ids reach the database as one JSON parameter (and on PGlite as an escaped literal).
    const t = use()
    const token = await tokenFor(t, await makePartner(t))
    const odd = `it's "odd" \\ back\\slash ', null); -- é 漢字 ${randomUUID()}`
    const created = await t.request('POST', V2_BATCH, { json: v2BatchOf(['education', 'microcredential'], odd), token })
    assert.equal(created.status, 201, created.text)
    const ids = [odd, `${odd}-0`, `${odd}-1`, `${odd}-2`, `${odd.slice(0, -1)}%`]
    const response = await t.request('POST', STATUS_BULK, { json: { ids }, token })
    assert.equal(response.status, 200, response.text)
    const requestId = requestIdOf(created.body.redirect_uri)
    assert.deepEqual(
      response.body.credentials.map((c: any) => [c.id, c.status, c.request_id ?? null]),
      [
        [odd, 'incomplete', requestId],
        [`${odd}-0`, 'incomplete', requestId],
        [`${odd}-1`, 'incomplete', requestId],
        [`${odd}-2`, 'not_found', null],
        [`${odd.slice(0, -1)}%`, 'not_found', null],
      ],
    )
    const one = await t.request('GET', statusPath(`${odd}-1`), { token })
    assert.equal(one.status, 200, one.text)
    assert.deepEqual(
      one.body.items.map((i: any) => i.id),
      [`${odd}-0`, `${odd}-1`],
    )
  })
})

/** The status and the distinct states of the assets of one answer. */
function statesOf(answer: any): { status: string; assets: string[] } {
  return {
    status: answer.status,
    assets: [...new Set<string>(answer.items.flatMap((item: any) => item.assets.map((a: any) => a.state)))],
  }
}
