import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { perform as deliverWebhooks } from '../../src/jobs/deliver-webhooks.js'
import { eq } from 'drizzle-orm'
import { webhookEndpoints } from '../../src/db/schema.js'
import { MAX_ATTEMPTS, RETRY_DELAYS_MS, SecretBox } from '../../src/modules/webhooks/index.js'
import { sendWebhook } from '../../src/modules/webhooks/send.js'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import {
  deliveriesTo,
  newHolder,
  partnerWithEndpointAndSubmission,
  signatureMatches,
  startReceiver,
  submit,
  WEBHOOKS,
} from './support.js'

type Receiver = Awaited<ReturnType<typeof startReceiver>>

/** A partner with an endpoint at the receiver, and its submission opened by a holder (one event). */
async function openedSubmission(t: TestApp, receiver: Receiver) {
  const made = await partnerWithEndpointAndSubmission(t, receiver.url)
  const holderId = await newHolder(t)
  await bindHolder(t.deps, { submissionId: made.submission.id, holderId })
  return { ...made, holderId }
}

const pass = (t: TestApp) => deliverWebhooks(t.deps, { limit: 10 })

describeEachBackend(
  'webhook delivery (spec §9)',
  (use) => {
    let receiver: Receiver
    before(async () => {
      receiver = await startReceiver()
    })
    after(() => receiver.close())

    test('delivers a signed event to a real receiver; the signature verifies with the secret', async () => {
      const t = use()
      receiver.received.length = 0
      const { endpoint, submission } = await openedSubmission(t, receiver)
      assert.equal(await pass(t), 1)
      assert.equal(receiver.received.length, 1)
      const got = receiver.received[0]!
      const body = JSON.parse(got.body)
      assert.equal(body.type, 'submission.opened')
      assert.deepEqual(body.data, { id: submission.partnerRef, request_id: submission.id, status: 'incomplete' })
      assert.equal(got.headers['webhook-id'], body.event_id)
      assert.equal(got.headers['webhook-timestamp'], String(Math.floor(t.clock.now().getTime() / 1000)))
      assert.equal(got.headers['content-type'], 'application/json')
      assert.ok(signatureMatches(endpoint.secret, got), 'HMAC-SHA256 of id.timestamp.body with the decoded secret')
      assert.ok(!signatureMatches(`whsec_${Buffer.alloc(32).toString('base64')}`, got))
      const [delivery] = await deliveriesTo(t, endpoint.id)
      assert.equal(delivery!.status, 'delivered')
      assert.equal(delivery!.lastStatusCode, 200)
      assert.equal(delivery!.attempts, 1)
      assert.equal(await pass(t), 0, 'nothing more to send')
    })

    test('a receiver failing twice then succeeding: retried 5 s then 5 min later (±10 % jitter), then delivered', async () => {
      const t = use()
      receiver.received.length = 0
      const { endpoint } = await openedSubmission(t, receiver)
      receiver.answers.push({ status: 500 }, { status: 502 })
      const start = t.clock.now()
      try {
        await pass(t)
        let [d] = await deliveriesTo(t, endpoint.id)
        assert.equal(d!.status, 'pending')
        assert.equal(d!.lastStatusCode, 500)
        let wait = d!.nextAttemptAt!.getTime() - t.clock.now().getTime()
        assert.ok(wait >= 4500 && wait <= 5500, `first retry after ~5 s, got ${wait}`)
        t.clock.advance(wait - 1)
        assert.equal(await pass(t), 0, 'not before its time')
        t.clock.advance(1)
        assert.equal(await pass(t), 1)
        ;[d] = await deliveriesTo(t, endpoint.id)
        assert.equal(d!.lastStatusCode, 502)
        wait = d!.nextAttemptAt!.getTime() - t.clock.now().getTime()
        assert.ok(wait >= 270_000 && wait <= 330_000, `second retry after ~5 min, got ${wait}`)
        t.clock.advance(wait)
        assert.equal(await pass(t), 1)
        ;[d] = await deliveriesTo(t, endpoint.id)
        assert.equal(d!.status, 'delivered')
        assert.equal(d!.attempts, 3)
        assert.equal(receiver.received.length, 3)
        assert.equal(
          new Set(receiver.received.map((r) => r.headers['webhook-id'])).size,
          1,
          'same webhook-id each time',
        )
      } finally {
        t.clock.set(start)
      }
    })

    test('the whole retry schedule spans more than 24 h, then the delivery fails', async () => {
      const t = use()
      const { endpoint } = await openedSubmission(t, receiver)
      const start = t.clock.now()
      try {
        const waits: number[] = []
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
          receiver.answers.push({ status: 500 })
          assert.equal(await pass(t), 1, `attempt ${attempt}`)
          const [d] = await deliveriesTo(t, endpoint.id)
          if (attempt === MAX_ATTEMPTS) {
            assert.equal(d!.status, 'failed')
            assert.equal(d!.nextAttemptAt, null)
            break
          }
          const wait = d!.nextAttemptAt!.getTime() - t.clock.now().getTime()
          const base = RETRY_DELAYS_MS[attempt - 1]!
          assert.ok(wait >= base * 0.9 && wait <= base * 1.1, `retry ${attempt}: ${wait} vs ${base}`)
          waits.push(wait)
          t.clock.advance(wait)
        }
        assert.ok(waits.reduce((a, b) => a + b, 0) > 24 * 3600_000, 'retried for at least 24 h')
        assert.equal(await pass(t), 0)
      } finally {
        t.clock.set(start)
      }
    })

    test('429 and 503 with Retry-After are honoured', async () => {
      const t = use()
      const { endpoint } = await openedSubmission(t, receiver)
      const start = t.clock.now()
      try {
        receiver.answers.push({ status: 429, headers: { 'retry-after': '120' } })
        await pass(t)
        let [d] = await deliveriesTo(t, endpoint.id)
        assert.equal(d!.nextAttemptAt!.getTime() - t.clock.now().getTime(), 120_000)
        t.clock.advance(120_000)
        receiver.answers.push({ status: 503, headers: { 'retry-after': '3600' } })
        await pass(t)
        ;[d] = await deliveriesTo(t, endpoint.id)
        assert.equal(d!.nextAttemptAt!.getTime() - t.clock.now().getTime(), 3600_000)
      } finally {
        t.clock.set(start)
      }
    })

    test('410 disables the endpoint; nothing more goes out until a PUT re-enables it', async () => {
      const t = use()
      receiver.received.length = 0
      const { endpoint, submission, holderId, token } = await openedSubmission(t, receiver)
      receiver.answers.push({ status: 410 })
      await pass(t)
      const shown = await t.request('GET', `${WEBHOOKS}/${endpoint.id}`, { token })
      assert.equal(shown.body.enabled, false)
      assert.equal(shown.body.disabled_reason, 'gone')
      await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
      assert.equal(await pass(t), 0, 'a disabled endpoint gets nothing')
      const deliveries = await deliveriesTo(t, endpoint.id)
      assert.deepEqual(
        deliveries.map((d) => [d.status, d.lastStatusCode]),
        [['failed', 410]],
        'no delivery is made for an event while the endpoint is disabled',
      )
      const enabled = await t.request('PUT', `${WEBHOOKS}/${endpoint.id}`, { token, json: { enabled: true } })
      assert.equal(enabled.body.enabled, true)
      const again = await submit(t, token)
      await bindHolder(t.deps, { submissionId: again.submission.id, holderId: await newHolder(t) })
      assert.equal(await pass(t), 1)
      assert.equal(receiver.received.length, 2)
      assert.equal(JSON.parse(receiver.received[1]!.body).data.request_id, again.submission.id)
    })

    test('after a rotation both secrets sign for 24 h, then only the new one', async () => {
      const t = use()
      receiver.received.length = 0
      const { endpoint, submission, holderId, token } = await openedSubmission(t, receiver)
      const rotated = await t.request('PUT', `${WEBHOOKS}/${endpoint.id}/secret`, { token })
      await pass(t)
      const got = receiver.received.at(-1)!
      assert.equal((got.headers['webhook-signature'] as string).split(' ').length, 2)
      assert.ok(signatureMatches(endpoint.secret, got), 'the old secret verifies')
      assert.ok(signatureMatches(rotated.body.secret, got), 'the new secret verifies')
      const start = t.clock.now()
      try {
        t.clock.advance(24 * 3600_000 + 1000)
        await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
        // (Deliveries other tests left pending are due too by now.)
        await pass(t)
        const later = receiver.received.find((r) => {
          const body = JSON.parse(r.body)
          return body.type === 'submission.verified' && body.data.request_id === submission.id
        })!
        assert.equal((later.headers['webhook-signature'] as string).split(' ').length, 1)
        assert.ok(signatureMatches(rotated.body.secret, later))
        assert.ok(!signatureMatches(endpoint.secret, later))
      } finally {
        t.clock.set(start)
      }
    })

    test('events of one submission reach an endpoint in order: a later one waits for an earlier one pending', async () => {
      const t = use()
      receiver.received.length = 0
      const { submission, holderId } = await openedSubmission(t, receiver)
      await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
      receiver.answers.push({ status: 500 })
      const start = t.clock.now()
      try {
        assert.equal(await pass(t), 1, 'only the first event is claimed')
        assert.equal(await pass(t), 0, 'the second waits for the first, not yet due again')
        t.clock.advance(6000)
        assert.equal(await pass(t), 1)
        assert.equal(await pass(t), 1)
        assert.deepEqual(
          receiver.received.map((r) => JSON.parse(r.body).type),
          ['submission.opened', 'submission.opened', 'submission.verified'],
        )
      } finally {
        t.clock.set(start)
      }
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)

test('without OUTBOUND_ALLOW_PRIVATE, a delivery never connects to a loopback or private address', async () => {
  const receiver = await startReceiver()
  try {
    const https = receiver.url.replace('http:', 'https:')
    assert.deepEqual(await sendWebhook(https, {}, '{}', { allowPrivate: false }), {
      kind: 'failed',
      error: 'private_address',
    })
    assert.deepEqual(await sendWebhook(receiver.url, {}, '{}', { allowPrivate: false }), {
      kind: 'failed',
      error: 'scheme_not_allowed',
    })
    const resolvesPrivate = async () => [{ address: '10.0.0.7', family: 4 }]
    assert.deepEqual(
      await sendWebhook('https://hooks.example.com/', {}, '{}', { allowPrivate: false, resolve: resolvesPrivate }),
      { kind: 'failed', error: 'private_address' },
    )
    // Plain http goes to private addresses only, even when they are allowed.
    const resolvesPublic = async () => [{ address: '93.184.216.34', family: 4 }]
    assert.deepEqual(
      await sendWebhook('http://hooks.example.com/', {}, '{}', { allowPrivate: true, resolve: resolvesPublic }),
      { kind: 'failed', error: 'scheme_not_allowed' },
    )
    assert.equal(receiver.received.length, 0)
  } finally {
    await receiver.close()
  }
})

describeEachBackend(
  'webhook delivery with several workers',
  (use) => {
    test('passes running at once (as on several instances) send each delivery once', async () => {
      const t = use()
      const receiver = await startReceiver()
      try {
        const made = await partnerWithEndpointAndSubmission(t, receiver.url)
        const holderId = await newHolder(t)
        await bindHolder(t.deps, { submissionId: made.submission.id, holderId })
        for (let i = 0; i < 5; i++) {
          const other = await submit(t, made.token)
          await bindHolder(t.deps, { submissionId: other.submission.id, holderId })
        }
        const counts = await Promise.all([1, 2, 3, 4].map(() => deliverWebhooks(t.deps, { limit: 2 })))
        let handled = counts.reduce((a, b) => a + b, 0)
        while (handled < 6) handled += await deliverWebhooks(t.deps, { limit: 2 })
        assert.equal(handled, 6)
        const ids = receiver.received.map((r) => r.headers['webhook-id'])
        assert.equal(ids.length, 6)
        assert.equal(new Set(ids).size, 6, 'no delivery sent twice')
      } finally {
        await receiver.close()
      }
    })

    test('a secret that no longer decrypts is recorded as an error and retried, not left claimed', async () => {
      const t = use()
      const receiver = await startReceiver()
      try {
        const made = await partnerWithEndpointAndSubmission(t, receiver.url)
        await bindHolder(t.deps, { submissionId: made.submission.id, holderId: await newHolder(t) })
        await t.deps.db
          .update(webhookEndpoints)
          .set({
            secretCiphertext: new SecretBox('another key of at least 32 characters').seal('whsec_x', made.endpoint.id),
          })
          .where(eq(webhookEndpoints.id, made.endpoint.id))
        assert.equal(await deliverWebhooks(t.deps, { limit: 10 }), 1)
        const [d] = await deliveriesTo(t, made.endpoint.id)
        assert.equal(d!.status, 'pending')
        assert.equal(d!.lastError, 'secret_unreadable')
        assert.equal(receiver.received.length, 0)
      } finally {
        await receiver.close()
      }
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)
