import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { and, eq, inArray, ne } from 'drizzle-orm'
import { webhookAttempts, webhookDeliveries, webhookEvents } from '../../src/db/schema.js'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { startServerProcess, type ServerProcess } from '../support/server-process.js'
import { newHolder, partnerWithEndpointAndSubmission, submit } from './support.js'

/**
 * Two real server processes (`src/server.ts`, as `npm start` runs it) on one PostgreSQL share the
 * webhook deliveries of 200 events queued before they start (100 submissions, each opened then
 * accepted by its holder, through the real lifecycle operations): the receiver gets every event
 * exactly once, each delivery has exactly one recorded attempt, both instances did part of the
 * work and neither touched a delivery the other sent, and each submission's events came in order.
 */

const SUBMISSIONS = 100
const EVENTS = 2 * SUBMISSIONS
/** The receiver answers after this long, so that a pass lasts long enough for both instances to join in. */
const ANSWER_DELAY_MS = 100
const SECRET_KEY = 'two instances share this webhook secret key (32+ chars)'

interface Got {
  id: string
  type: string
  submission: string
}

async function slowReceiver() {
  const got: Got[] = []
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      got.push({ id: String(request.headers['webhook-id']), type: body.type, submission: body.data.request_id })
      setTimeout(() => response.writeHead(204).end(), ANSWER_DELAY_MS)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The delivery ids an instance logged an attempt for (its `webhook attempt` log lines). */
function attemptsLoggedBy(server: ServerProcess): string[] {
  return server
    .stdout()
    .split('\n')
    .filter((line) => line.includes('"webhook attempt"'))
    .map((line) => JSON.parse(line) as { delivery_id: string; outcome: string })
    .map((entry) => {
      assert.equal(entry.outcome, 'delivered')
      return entry.delivery_id
    })
}

describe('two server processes on one PostgreSQL deliver 200 events exactly once [postgres]', {
  skip: process.env.TEST_DATABASE_URL ? undefined : 'needs the test PostgreSQL (npm test starts one)',
}, () => {
  let t: TestApp
  let receiver: Awaited<ReturnType<typeof slowReceiver>>
  const servers: ServerProcess[] = []
  const dataDirs: string[] = []
  before(async () => {
    t = await startTestApp('postgres', { WEBHOOK_SECRET_KEY: SECRET_KEY, OUTBOUND_ALLOW_PRIVATE: 'true' })
    receiver = await slowReceiver()
  })
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await receiver?.close()
    await t?.close()
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true })
  })

  test('each of 200 events reaches the receiver once, with one recorded attempt, shared by both instances', async () => {
    const made = await partnerWithEndpointAndSubmission(t, receiver.url)
    const queueStarted = Date.now()
    const submissionIds = [made.submission.id]
    // Ten at a time: submitted through the API, then opened and accepted by their holders.
    while (submissionIds.length < SUBMISSIONS) {
      const more = await Promise.all(Array.from({ length: 10 }, () => submit(t, made.token)))
      submissionIds.push(...more.map((m) => m.submission.id).slice(0, SUBMISSIONS - submissionIds.length))
    }
    for (let i = 0; i < SUBMISSIONS; i += 10) {
      await Promise.all(
        submissionIds.slice(i, i + 10).map(async (submissionId) => {
          const holderId = await newHolder(t)
          await bindHolder(t.deps, { submissionId, holderId })
          await acceptByHolder(t.deps, { submissionId, holderId })
        }),
      )
    }
    const queuedMs = Date.now() - queueStarted
    const queued = await t.deps.db
      .select({ id: webhookDeliveries.id, eventId: webhookDeliveries.eventId })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, made.endpoint.id))
    assert.equal(queued.length, EVENTS, '200 deliveries queued')

    const databaseUrl = (t.deps.database as { url?: string }).url
    assert.ok(databaseUrl)
    const env = (name: string) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `credport-${name}-`))
      dataDirs.push(dataDir)
      return {
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        WEBHOOK_SECRET_KEY: SECRET_KEY,
        OUTBOUND_ALLOW_PRIVATE: 'true',
      }
    }
    servers.push(...(await Promise.all([startServerProcess(env('a')), startServerProcess(env('b'))])))
    const started = Date.now()

    const deadline = Date.now() + 25_000
    const pendingCount = async () =>
      (
        await t.deps.db
          .select({ id: webhookDeliveries.id })
          .from(webhookDeliveries)
          .where(and(eq(webhookDeliveries.endpointId, made.endpoint.id), ne(webhookDeliveries.status, 'delivered')))
      ).length
    while ((await pendingCount()) > 0) {
      assert.ok(Date.now() < deadline, `not all delivered in 25 s: ${receiver.got.length} received`)
      await new Promise((r) => setTimeout(r, 100))
    }
    const elapsedMs = Date.now() - started
    // Another full pass interval of both instances: nothing more arrives.
    await new Promise((r) => setTimeout(r, 2_500))

    // The receiver: every event once, none twice, none missing.
    const ids = receiver.got.map((g) => g.id)
    assert.equal(ids.length, EVENTS, 'exactly 200 requests')
    assert.equal(new Set(ids).size, EVENTS, 'no webhook-id twice')
    assert.deepEqual(new Set(ids), new Set(queued.map((q) => q.eventId)), 'every queued event, nothing else')
    // Per submission: opened before verified.
    for (const submissionId of submissionIds)
      assert.deepEqual(
        receiver.got.filter((g) => g.submission === submissionId).map((g) => g.type),
        ['submission.opened', 'submission.verified'],
      )

    // The database: every delivery delivered at its first attempt, every attempt recorded once.
    const deliveries = await t.deps.db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, made.endpoint.id))
    for (const d of deliveries) assert.deepEqual([d.status, d.attempts, d.lastStatusCode], ['delivered', 1, 204])
    const attempts = await t.deps.db
      .select()
      .from(webhookAttempts)
      .where(
        inArray(
          webhookAttempts.deliveryId,
          deliveries.map((d) => d.id),
        ),
      )
    assert.equal(attempts.length, EVENTS, 'one attempt row per delivery')
    assert.equal(new Set(attempts.map((a) => a.deliveryId)).size, EVENTS)
    assert.ok(attempts.every((a) => a.attempt === 1 && a.statusCode === 204))
    const events = await t.deps.db
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(
        inArray(
          webhookEvents.id,
          queued.map((q) => q.eventId),
        ),
      )
    assert.equal(events.length, EVENTS)

    // The instances: both worked, on disjoint deliveries, 200 attempts between them.
    const [a, b] = servers.map(attemptsLoggedBy) as [string[], string[]]
    assert.ok(a.length > 0 && b.length > 0, `both instances delivered (a: ${a.length}, b: ${b.length})`)
    assert.equal(a.length + b.length, EVENTS)
    assert.deepEqual(new Set([...a, ...b]), new Set(deliveries.map((d) => d.id)))
    assert.equal(a.filter((id) => b.includes(id)).length, 0, 'no delivery attempted by both')
    process.stdout.write(
      `# two instances: 200 events queued in ${queuedMs} ms, delivered in ${elapsedMs} ms once both had started (a: ${a.length}, b: ${b.length})\n`,
    )
  })
})
