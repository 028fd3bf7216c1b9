import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { eq } from 'drizzle-orm'
import { webhookDeliveries, webhookEvents } from '../../src/db/schema.js'
import { perform as deliverWebhooks } from '../../src/jobs/deliver-webhooks.js'
import { perform as purgeDeliveries } from '../../src/jobs/purge-webhook-deliveries.js'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { assertProblem } from '../support/security-suite.js'
import { newHolder, partnerWithEndpointAndSubmission, startReceiver, WEBHOOKS } from './support.js'

describeEachBackend(
  'webhook delivery log and manual retry (spec §9)',
  (use) => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>
    before(async () => {
      receiver = await startReceiver()
    })
    after(() => receiver.close())

    test('the log lists deliveries newest first, paged, with attempt, status code, duration and next attempt', async () => {
      const t = use()
      const { endpoint, submission, token } = await partnerWithEndpointAndSubmission(t, receiver.url)
      const holderId = await newHolder(t)
      await bindHolder(t.deps, { submissionId: submission.id, holderId })
      await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
      receiver.answers.push({ status: 500 })
      await deliverWebhooks(t.deps, { limit: 10 })
      const log = `${WEBHOOKS}/${endpoint.id}/deliveries`
      const page = await t.request('GET', log, { token })
      assert.equal(page.status, 200, page.text)
      assert.deepEqual(
        page.body.deliveries.map((d: any) => [d.event_type, d.status, d.attempts, d.last_status_code]),
        [
          ['submission.verified', 'pending', 0, null],
          ['submission.opened', 'pending', 1, 500],
        ],
      )
      const failed = page.body.deliveries[1]
      assert.equal(typeof failed.last_duration_ms, 'number')
      assert.equal(failed.last_attempt_at, t.clock.now().toISOString())
      assert.ok(Date.parse(failed.next_attempt_at) > t.clock.now().getTime())
      assert.equal(page.body.next_offset, null)
      assert.deepEqual(page.body.deliveries[0].attempt_log, [])
      assert.deepEqual(failed.attempt_log, [
        {
          attempt: 1,
          attempted_at: failed.last_attempt_at,
          status_code: 500,
          duration_ms: failed.last_duration_ms,
          error: null,
          next_attempt_at: failed.next_attempt_at,
        },
      ])
      const first = await t.request('GET', `${log}?limit=1`, { token })
      assert.equal(first.body.deliveries.length, 1)
      assert.equal(first.body.next_offset, 1)
      const second = await t.request('GET', `${log}?limit=1&offset=1`, { token })
      assert.equal(second.body.deliveries[0].id, failed.id)
      // What the receiver answered is not kept.
      const rows = await t.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id))
      assert.ok(!JSON.stringify(rows).includes('receiver body'))
      assertProblem(await t.request('GET', `${log}?limit=0`, { token }), 400, 'invalid_parameter')
    })

    test('retry sends a finished delivery again; a pending one → 409; unknown or foreign → 404', async () => {
      const t = use()
      receiver.received.length = 0
      const { endpoint, submission, token } = await partnerWithEndpointAndSubmission(t, receiver.url)
      await bindHolder(t.deps, { submissionId: submission.id, holderId: await newHolder(t) })
      await deliverWebhooks(t.deps, { limit: 10 })
      const [delivery] = (await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token })).body.deliveries
      assert.equal(delivery.status, 'delivered')
      const retry = `${WEBHOOKS}/${endpoint.id}/deliveries/${delivery.id}/retry`
      const queued = await t.request('POST', retry, { token })
      assert.equal(queued.status, 202, queued.text)
      assert.equal(queued.body.status, 'pending')
      assert.equal(queued.body.next_attempt_at, t.clock.now().toISOString())
      assertProblem(await t.request('POST', retry, { token }), 409, 'conflict')
      await deliverWebhooks(t.deps, { limit: 10 })
      const again = (await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token })).body.deliveries[0]
      assert.equal(again.status, 'delivered')
      assert.equal(again.attempts, 2)
      assert.deepEqual(
        again.attempt_log.map((a: any) => [a.attempt, a.status_code]),
        [
          [2, 200],
          [1, 200],
        ],
        'every attempt is kept, newest first',
      )
      const mine = receiver.received.filter((r) => JSON.parse(r.body).data.request_id === submission.id)
      assert.equal(mine.length, 2)
      assert.equal(mine[0]!.headers['webhook-id'], mine[1]!.headers['webhook-id'])

      const stranger = await makePartnerWithToken(t)
      assertProblem(await t.request('POST', retry, { token: stranger.token }), 404, 'not_found')
      assertProblem(
        await t.request('GET', `${WEBHOOKS}/${endpoint.id}/deliveries`, { token: stranger.token }),
        404,
        'not_found',
      )
      assertProblem(
        await t.request('POST', `${WEBHOOKS}/${endpoint.id}/deliveries/00000000-0000-4000-8000-000000000000/retry`, {
          token,
        }),
        404,
        'not_found',
      )
    })

    test('deliveries and events older than 30 days are purged by a job', async () => {
      const t = use()
      const { endpoint, submission } = await partnerWithEndpointAndSubmission(t, receiver.url)
      await bindHolder(t.deps, { submissionId: submission.id, holderId: await newHolder(t) })
      await deliverWebhooks(t.deps, { limit: 10 })
      const start = t.clock.now()
      try {
        t.clock.advance(29 * 24 * 3600_000)
        await purgeDeliveries(t.deps, { limit: 1000 })
        assert.equal(
          (await t.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id)))
            .length,
          1,
        )
        t.clock.advance(2 * 24 * 3600_000)
        while ((await purgeDeliveries(t.deps, { limit: 1000 })) > 0) {}
        assert.equal(
          (await t.deps.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id)))
            .length,
          0,
        )
        assert.equal(
          (await t.deps.db.select().from(webhookEvents).where(eq(webhookEvents.submissionId, submission.id))).length,
          0,
        )
      } finally {
        t.clock.set(start)
      }
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)
