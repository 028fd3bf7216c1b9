import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { after, before, test } from 'node:test'
import { asc, inArray } from 'drizzle-orm'
import { webhookAttempts } from '../../src/db/schema.js'
import { perform as deliverWebhooks } from '../../src/jobs/deliver-webhooks.js'
import { bindHolder } from '../../src/modules/submissions/index.js'
import { claimDueDeliveries, recordAttempt } from '../../src/modules/webhooks/deliveries.repo.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { PROJECT_ROOT } from '../support/server-process.js'
import { deliveriesTo, newHolder, partnerWithEndpointAndSubmission, startReceiver } from './support.js'

/**
 * An instance that dies between claiming a delivery and sending it (spec §9, at-least-once): the
 * claim is committed on its own (a lease: `next_attempt_at` pushed 2 minutes ahead, the attempt
 * counted), so no other pass touches the delivery while the lease holds; once it has run out, the
 * next pass reclaims the delivery and sends it. The death is the claim step run alone and its result
 * dropped (in process, both databases), and on PostgreSQL a real process SIGKILLed right after it.
 */

type Receiver = Awaited<ReturnType<typeof startReceiver>>

const LEASE_MS = 120_000
const pass = (t: TestApp) => deliverWebhooks(t.deps, { limit: 10 })

async function attemptsOf(t: TestApp, deliveryId: string) {
  return t.deps.db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, [deliveryId]))
    .orderBy(asc(webhookAttempts.attempt))
}

/** A partner's endpoint at the receiver and one event queued for it (the holder opened the link). */
async function oneQueuedEvent(t: TestApp, receiver: Receiver) {
  const made = await partnerWithEndpointAndSubmission(t, receiver.url)
  await bindHolder(t.deps, { submissionId: made.submission.id, holderId: await newHolder(t) })
  const [delivery] = await deliveriesTo(t, made.endpoint.id)
  assert.equal(delivery!.status, 'pending')
  return { ...made, deliveryId: delivery!.id }
}

/** After an abandoned claim at `claimedAt`: nothing until the lease runs out, then one delivery, attempt 2. */
async function assertReclaimedAfterLease(t: TestApp, receiver: Receiver, endpointId: string, claimedAt: Date) {
  const [held] = await deliveriesTo(t, endpointId)
  assert.equal(held!.status, 'pending')
  assert.equal(held!.attempts, 1, 'the claim counted its attempt')
  assert.equal(held!.nextAttemptAt!.getTime(), claimedAt.getTime() + LEASE_MS, 'leased for 2 minutes')

  assert.equal(await pass(t), 0, 'another pass leaves a leased delivery alone')
  t.clock.set(new Date(claimedAt.getTime() + LEASE_MS - 1))
  assert.equal(await pass(t), 0, 'still leased 1 ms before the lease ends')
  assert.equal(receiver.received.length, 0, 'nothing was sent by the dead instance')

  t.clock.set(new Date(claimedAt.getTime() + LEASE_MS))
  assert.equal(await pass(t), 1, 'reclaimed once the lease ran out')
  assert.equal(receiver.received.length, 1, 'delivered exactly once')
  const [done] = await deliveriesTo(t, endpointId)
  assert.equal(done!.status, 'delivered')
  assert.equal(done!.attempts, 2, 'the abandoned claim counts as attempt 1, the delivery is attempt 2')
  assert.equal(done!.lastStatusCode, 200)
  const log = await attemptsOf(t, done!.id)
  assert.deepEqual(
    log.map((a) => [a.attempt, a.statusCode]),
    [[2, 200]],
    'one attempt recorded: the dead instance recorded nothing',
  )
  t.clock.advance(24 * 3600_000)
  assert.equal(await pass(t), 0, 'nothing more to send, ever')
  assert.equal(receiver.received.length, 1)
}

describeEachBackend(
  'webhook delivery after an instance died between claim and send',
  (use) => {
    let receiver: Receiver
    before(async () => {
      receiver = await startReceiver()
    })
    after(() => receiver.close())

    test('a claim dropped before sending is reclaimed after its 2-minute lease and delivered once', async () => {
      const t = use()
      receiver.received.length = 0
      const start = t.clock.now()
      try {
        const { endpoint, deliveryId } = await oneQueuedEvent(t, receiver)
        // The dying instance: its claim commits, then it is gone before sending or recording.
        const claimedAt = t.clock.now()
        const claims = await claimDueDeliveries(t.deps.db, claimedAt, 10, LEASE_MS)
        assert.deepEqual(
          claims.map((c) => [c.id, c.attempts]),
          [[deliveryId, 1]],
        )
        await assertReclaimedAfterLease(t, receiver, endpoint.id, claimedAt)

        // Had the instance only stalled (not died), its late record changes nothing.
        const [late] = claims
        const recorded = await t.deps.db.transaction((tx) =>
          recordAttempt(tx, late!, {
            status: 'pending',
            nextAttemptAt: t.clock.now(),
            lastAttemptAt: claimedAt,
            lastStatusCode: 500,
            lastDurationMs: 1,
            lastError: null,
          }),
        )
        assert.equal(recorded, false, 'a claim whose lease ran out records nothing')
        const [still] = await deliveriesTo(t, endpoint.id)
        assert.deepEqual([still!.status, still!.attempts, still!.lastStatusCode], ['delivered', 2, 200])
        assert.equal((await attemptsOf(t, deliveryId)).length, 1)
      } finally {
        t.clock.set(start)
      }
    })

    test('a real process SIGKILLed right after its claim: the delivery goes out once, after the lease', async (context) => {
      const t = use()
      const url = (t.deps.database as { url?: string }).url
      if (t.backend !== 'postgres' || !url) {
        context.skip('a second process needs a shared PostgreSQL (PGlite is single-process)')
        return
      }
      receiver.received.length = 0
      const start = t.clock.now()
      try {
        const { endpoint, deliveryId } = await oneQueuedEvent(t, receiver)
        const claimedAt = t.clock.now()
        const claimed = await claimInChildThenKill(url, claimedAt)
        assert.deepEqual(claimed, [deliveryId])
        await assertReclaimedAfterLease(t, receiver, endpoint.id, claimedAt)
      } finally {
        t.clock.set(start)
      }
    })
  },
  { OUTBOUND_ALLOW_PRIVATE: 'true' },
)

/**
 * Runs the claim step in a separate Node process on the same database, at `now`; once the process
 * prints what it claimed (after the claim committed) it is SIGKILLed, before it could send.
 */
async function claimInChildThenKill(databaseUrl: string, now: Date): Promise<string[]> {
  const script = `
    import { openPostgres } from './src/db/client.ts'
    import { claimDueDeliveries } from './src/modules/webhooks/deliveries.repo.ts'
    const database = await openPostgres(process.env.CLAIM_DATABASE_URL, 2)
    const claims = await claimDueDeliveries(database.db, new Date(process.env.CLAIM_NOW), 10, ${LEASE_MS})
    process.stdout.write('CLAIMED ' + JSON.stringify(claims.map((c) => c.id)) + '\\n')
    setInterval(() => {}, 1000) // would go on to send: killed first
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CLAIM_DATABASE_URL: databaseUrl, CLAIM_NOW: now.toISOString() },
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)))
  const claimed = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no claim within 20 s: ${err}`)), 20_000)
    child.stdout.on('data', (d) => {
      out += d
      const line = /CLAIMED (.*)\n/.exec(out)
      if (!line) return
      clearTimeout(timer)
      child.kill('SIGKILL')
      resolve(JSON.parse(line[1]!))
    })
    child.once('exit', () => reject(new Error(`the claiming process exited early: ${err}`)))
  })
  assert.equal(await exited, 'SIGKILL')
  return claimed
}
