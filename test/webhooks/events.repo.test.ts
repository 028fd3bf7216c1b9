import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eq, sql } from 'drizzle-orm'
import { submissions } from '../../src/db/schema.js'
import { markAssetRejected } from '../../src/modules/assets/index.js'
import {
  acceptByHolder,
  bindHolder,
  declineByHolder,
  expireSubmissions,
  listAssetsOf,
} from '../../src/modules/submissions/index.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { uploadThroughLink } from '../support/asset-factory.js'
import { deliveriesTo, eventsOf, newHolder, partnerWithEndpointAndSubmission, submit } from './support.js'

/** Makes every insert into webhook_events fail while `body` runs. */
async function withFailingEvents(t: TestApp, body: () => Promise<void>): Promise<void> {
  await t.deps.db.execute(
    sql.raw(
      `create function failing_event() returns trigger language plpgsql as $$ begin raise exception 'simulated failure'; end $$`,
    ),
  )
  await t.deps.db.execute(
    sql.raw(
      'create trigger failing_event before insert on webhook_events for each row execute function failing_event()',
    ),
  )
  try {
    await body()
  } finally {
    await t.deps.db.execute(sql.raw('drop trigger failing_event on webhook_events'))
    await t.deps.db.execute(sql.raw('drop function failing_event()'))
  }
}

describeEachBackend('webhook events are written with the change that causes them', (use) => {
  test('bind → submission.opened, accept → submission.verified; each event delivered to the endpoint', async () => {
    const t = use()
    const { endpoint, submission } = await partnerWithEndpointAndSubmission(t)
    const holderId = await newHolder(t)
    await bindHolder(t.deps, { submissionId: submission.id, holderId })
    await bindHolder(t.deps, { submissionId: submission.id, holderId }) // again: no second event
    await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
    const events = await eventsOf(t, submission.id)
    assert.deepEqual(
      events.map((e) => e.type),
      ['submission.opened', 'submission.verified'],
    )
    const verified = events[1]!
    assert.deepEqual(verified.payload, {
      event_id: verified.id,
      type: 'submission.verified',
      created_at: t.clock.now().toISOString(),
      data: { id: submission.partnerRef, request_id: submission.id, status: 'verified' },
    })
    const deliveries = await deliveriesTo(t, endpoint.id)
    assert.deepEqual(
      deliveries.map((d) => [d.eventId, d.status]),
      events.map((e) => [e.id, 'pending']),
    )
  })

  test('decline → submission.canceled; expiry → submission.expired (status canceled)', async () => {
    const t = use()
    const { token, submission } = await partnerWithEndpointAndSubmission(t)
    const holderId = await newHolder(t)
    await bindHolder(t.deps, { submissionId: submission.id, holderId })
    await declineByHolder(t.deps, { submissionId: submission.id, holderId })
    assert.deepEqual(
      (await eventsOf(t, submission.id)).map((e) => [e.type, (e.payload as any).data.status]),
      [
        ['submission.opened', 'incomplete'],
        ['submission.canceled', 'canceled'],
      ],
    )
    const later = await submit(t, token)
    const start = t.clock.now()
    try {
      t.clock.advance(t.config.submissionTtlMs + 1000)
      while ((await expireSubmissions(t.deps, { limit: 100 })) > 0) {}
    } finally {
      t.clock.set(start)
    }
    const expired = await eventsOf(t, later.submission.id)
    assert.deepEqual(
      expired.map((e) => [e.type, (e.payload as any).data.status]),
      [['submission.expired', 'canceled']],
    )
  })

  test('an uploaded document → asset.received; a refused one → asset.rejected, with the asset_id', async () => {
    const t = use()
    const { submission, uploads } = await partnerWithEndpointAndSubmission(t)
    const pdf = uploads.find((u) => u.content_type === 'application/pdf')!
    assert.equal((await uploadThroughLink(t, pdf, 'pdf')).status, 201)
    const assets = await listAssetsOf(t.deps.db, [submission.id])
    const other = assets.find((a) => a.partnerAssetId !== pdf.asset_id && a.state === 'awaiting_upload')!
    await t.deps.db.transaction((tx) =>
      markAssetRejected(
        tx,
        other.id,
        { states: ['awaiting_upload'], source: other.source },
        'too_large',
        t.clock.now(),
      ),
    )
    const events = await eventsOf(t, submission.id)
    assert.deepEqual(
      events.map((e) => [e.type, (e.payload as any).data]),
      [
        [
          'asset.received',
          { id: submission.partnerRef, request_id: submission.id, status: 'received', asset_id: pdf.asset_id },
        ],
        [
          'asset.rejected',
          { id: submission.partnerRef, request_id: submission.id, status: 'rejected', asset_id: other.partnerAssetId },
        ],
      ],
    )
  })

  test('an endpoint filtering event types gets deliveries of those types only', async () => {
    const t = use()
    const { endpoint, submission } = await partnerWithEndpointAndSubmission(t, 'https://hooks.example.com/only', {
      event_types: ['submission.verified'],
    })
    const holderId = await newHolder(t)
    await bindHolder(t.deps, { submissionId: submission.id, holderId })
    await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
    const deliveries = await deliveriesTo(t, endpoint.id)
    const events = await eventsOf(t, submission.id)
    assert.deepEqual(
      deliveries.map((d) => d.eventId),
      [events.find((e) => e.type === 'submission.verified')!.id],
    )
  })

  test('a failing event insert rolls back the change: no change without its event', async () => {
    const t = use()
    const { submission } = await partnerWithEndpointAndSubmission(t)
    const holderId = await newHolder(t)
    await withFailingEvents(t, async () => {
      await assert.rejects(
        bindHolder(t.deps, { submissionId: submission.id, holderId }),
        /simulated failure|Failed query/,
      )
    })
    let [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.equal(row!.holderId, null, 'not bound')
    assert.equal(row!.openedAt, null)

    await bindHolder(t.deps, { submissionId: submission.id, holderId })
    await withFailingEvents(t, async () => {
      await assert.rejects(acceptByHolder(t.deps, { submissionId: submission.id, holderId }))
    })
    ;[row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.equal(row!.status, 'incomplete', 'not accepted')
    assert.equal(row!.finalizedAt, null)
    assert.deepEqual(
      (await eventsOf(t, submission.id)).map((e) => e.type),
      ['submission.opened'],
    )
  })
})
