// The webhook delivery probe: a Credport in the benchmark process (the real app, deps and
// migrations on its own database), 1,000 events queued through the real lifecycle (a holder opens
// 1,000 submissions: `submission.opened`, written with the binding), then the real
// deliver-webhooks job of the schedule started on the real runner, sending to a node:http
// receiver on loopback. While the backlog drains, the holder accepts submissions one at a time
// (the real accept operation; its `submission.verified` event joins the queue): each accept is
// timed until the receiver answers 2xx to its event. The baseline is the same receiver fed the
// same number of signed POSTs by a plain loop (10 at a time, as the job's passes send 10), with
// the same cadence of extra POSTs while it drains: what HTTP alone costs.
import { createHmac, randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { inArray } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.js'
import { loadConfig } from '../../src/config.js'
import { holders, submissions } from '../../src/db/schema.js'
import { createDeps, type Deps } from '../../src/deps.js'
import { startSchedule, type JobLog } from '../../src/jobs/runner.js'
import { JOB_SCHEDULE } from '../../src/jobs/schedule.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'
import { acceptByHolder, bindHolder } from '../../src/modules/submissions/index.js'
import { signatureOf } from '../../src/modules/webhooks/index.js'
import { BATCH_PATH, freshBatchBody } from './batch.js'
import { track } from './cleanup.js'
import { log } from './log.js'
import type { BenchEnvironment, Database } from './targets.js'

/** Events queued before delivery starts. */
export const QUEUED_EVENTS = 1000
/** One accept (or one extra POST of the baseline) every this many ms while the backlog drains… */
export const ACCEPT_EVERY_MS = 100
/** …and at most this many per run (each adds an event to deliver). */
export const MAX_ACCEPTS = 100
/** Intake requests and bindings in flight at once while queueing the backlog (setup, not measured). */
const SETUP_CONCURRENCY = 10
/** Concurrent POSTs of the baseline loop: the deliver-webhooks job's `limit` (one pass sends that many at once). */
const DELIVER_JOB = JOB_SCHEDULE.find((job) => job.name === 'deliver-webhooks')!
export const LOOP_CONCURRENCY = DELIVER_JOB.limit
/** A run that has not delivered everything after this long fails the row. */
const RUN_TIMEOUT_MS = 120_000

export const DELIVERY_COLUMNS = [
  'events/s (median)',
  'plain loop events/s (median)',
  'ratio to plain loop',
  'accept → 2xx median ms',
  'accept → 2xx p99 ms',
  'plain loop median ms',
  'plain loop p99 ms',
  'p99 ratio to plain loop',
  'accepts timed (per run)',
  'seconds per run (setup + drain)',
] as const

export function deliveryNotes(runs: number): string[] {
  return [
    `Delivery table: a Credport built in the benchmark process (the real app and dependencies, migrations included) on its own database (a PGlite folder, or a database of the run's PostgreSQL cluster) with OUTBOUND_ALLOW_PRIVATE=true, and a node:http receiver on loopback in the same process that answers 200 to every POST and checks the Standard Webhooks signature of the first one. Each of ${runs} runs: a new partner (admin API) with one webhook endpoint at the receiver (partner API), ${QUEUED_EVENTS} v2 batch samples submitted with fresh ids (partner API, 10 at a time) and opened by one holder (the lifecycle's bind: ${QUEUED_EVENTS} \`submission.opened\` events written in the transactions of their bindings), with no job running. Then the deliver-webhooks job of the schedule (limit ${LOOP_CONCURRENCY} per pass, a pass that handled something followed at once by another) starts on the real job runner, alone, and from that moment the holder accepts one of the opened submissions every ${ACCEPT_EVERY_MS} ms (the lifecycle's accept, with its \`submission.verified\` event; at most ${MAX_ACCEPTS}) for as long as the receiver has not yet got all ${QUEUED_EVENTS} queued events. **events/s** is ${QUEUED_EVENTS} divided by the time from the job's start to the receiver's answer to the last queued event; **accept → 2xx** runs from the call of the accept to the receiver's 200 for its event (so it includes the accept's own transaction and the wait behind the rest of the backlog: events go out oldest first). Medians over the runs (BENCH_DELIVERY_RUNS, default 1: a run takes about a minute); latency median and p99 over every accept of every run.`,
    `Baseline (plain loop): the same receiver, fed ${QUEUED_EVENTS} POSTs of event bodies of the same shape, signed the same way (HMAC-SHA256 of id.timestamp.body) at send time, by ${LOOP_CONCURRENCY} loops in the benchmark process pulling from an in-memory FIFO array, one new connection per POST as the job makes; an extra POST joins the array every ${ACCEPT_EVERY_MS} ms while the backlog drains (at most ${MAX_ACCEPTS}), timed from its push to its 200. Its runs alternate with the job's. The ratios show what the database queue (claims, leases, attempt records, the runner's passes) costs beyond HTTP.`,
  ]
}

interface RunResult {
  eventsPerSec: number
  latenciesMs: number[]
  seconds: number
}

/** A receiver on loopback that answers 200 and reports each event it got. */
interface Receiver {
  url: string
  /** Called with each event's body type and request id, when the 200 is written. */
  onEvent: ((type: string, key: string) => void) | undefined
  /** The first request's headers and body, for the signature check. */
  first: { headers: http.IncomingHttpHeaders; body: string } | undefined
  close(): Promise<void>
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', onEvent: undefined, first: undefined, close: async () => {} }
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      receiver.first ??= { headers: request.headers, body }
      response.writeHead(200).end()
      const event = JSON.parse(body) as { type: string; data: { request_id: string } }
      receiver.onEvent?.(event.type, event.data.request_id)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return receiver
}

/** One Standard Webhooks signature check (v1, HMAC-SHA256 of id.timestamp.body with the decoded secret). */
function signedWith(secret: string, got: NonNullable<Receiver['first']>): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key)
    .update(`${got.headers['webhook-id']}.${got.headers['webhook-timestamp']}.${got.body}`)
    .digest('base64')
  return String(got.headers['webhook-signature']).split(' ').includes(`v1,${expected}`)
}

async function inject(
  app: FastifyInstance,
  method: 'POST',
  url: string,
  headers: Record<string, string>,
  body: string,
) {
  const response = await app.inject({ method, url, headers, payload: body })
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`)
  return response.json() as Record<string, unknown>
}

/** A new partner with one endpoint at `url`: its token, and the endpoint's secret. */
async function partnerWithEndpoint(app: FastifyInstance, adminToken: string, url: string) {
  const json = { 'content-type': 'application/json' }
  const client = await inject(
    app,
    'POST',
    '/api/admin/partners',
    { ...json, authorization: `Bearer ${adminToken}` },
    JSON.stringify({ name: 'Bench delivery', display_name: 'Bench University', scopes: ALL_SCOPES }),
  )
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: String(client.client_id),
    client_secret: String(client.client_secret),
  }).toString()
  const token = await inject(
    app,
    'POST',
    '/api/partner/v1/oauth/token.json',
    { 'content-type': 'application/x-www-form-urlencoded' },
    form,
  )
  const authorization = `Bearer ${String(token.access_token)}`
  const endpoint = await inject(
    app,
    'POST',
    '/api/partner/v2/webhooks',
    { ...json, authorization },
    JSON.stringify({ url }),
  )
  return { authorization, secret: String(endpoint.secret) }
}

/** Runs `task` for 0…count-1, `SETUP_CONCURRENCY` at a time. */
async function inParallel(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < count) await task(next++)
  }
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, lane))
}

/** `count` v2 batch samples submitted through the partner API, opened by a new holder: their submission ids. */
async function openedSubmissions(deps: Deps, app: FastifyInstance, authorization: string, count: number) {
  const bodies = Array.from({ length: count }, () => freshBatchBody())
  const refs = bodies.map((body) => (JSON.parse(body) as { credential_id: string }).credential_id)
  await inParallel(count, async (i) => {
    await inject(app, 'POST', BATCH_PATH, { 'content-type': 'application/json', authorization }, bodies[i]!)
  })
  const rows = await deps.db
    .select({ id: submissions.id })
    .from(submissions)
    .where(inArray(submissions.partnerRef, refs))
  if (rows.length !== count) throw new Error(`expected ${count} submissions, found ${rows.length}`)
  const holderId = randomUUID()
  await deps.db.insert(holders).values({ id: holderId, email: `${holderId}@bench.example` })
  await inParallel(count, async (i) => {
    await bindHolder(deps, { submissionId: rows[i]!.id, holderId })
  })
  return { ids: rows.map((r) => r.id), holderId }
}

const silentLog = (errors: string[]): JobLog => ({
  info: () => {},
  warn: () => {},
  error: (_object, message) => void errors.push(message),
})

/** Waits until `done()` or fails after RUN_TIMEOUT_MS. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  const deadline = Date.now() + RUN_TIMEOUT_MS
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`)
    await sleep(5)
  }
}

/** One run of the real job: queue the backlog, start the job, accept while it drains. */
async function jobRun(deps: Deps, app: FastifyInstance, adminToken: string, receiver: Receiver): Promise<RunResult> {
  const started = performance.now()
  const { authorization, secret } = await partnerWithEndpoint(app, adminToken, receiver.url)
  const { ids, holderId } = await openedSubmissions(deps, app, authorization, QUEUED_EVENTS)
  let opened = 0
  let lastOpenedAt = 0
  const accepted = new Map<string, number>()
  const latencies: number[] = []
  receiver.first = undefined
  receiver.onEvent = (type, key) => {
    if (type === 'submission.opened') {
      opened++
      lastOpenedAt = performance.now()
    } else if (type === 'submission.verified') {
      const at = accepted.get(key)
      if (at !== undefined) latencies.push(performance.now() - at)
    }
  }
  const errors: string[] = []
  const t0 = performance.now()
  const jobs = startSchedule([DELIVER_JOB], deps, silentLog(errors))
  try {
    for (let i = 0; opened < QUEUED_EVENTS && i < Math.min(ids.length, MAX_ACCEPTS); i++) {
      const at = performance.now()
      accepted.set(ids[i]!, at)
      await acceptByHolder(deps, { submissionId: ids[i]!, holderId })
      await sleep(Math.max(0, ACCEPT_EVERY_MS - (performance.now() - at)))
    }
    await until(
      () => opened >= QUEUED_EVENTS && latencies.length >= accepted.size,
      () =>
        `${opened}/${QUEUED_EVENTS} queued events and ${latencies.length}/${accepted.size} accepts delivered; job errors: ${errors.join('; ') || 'none'}`,
    )
  } finally {
    await jobs.stop()
    receiver.onEvent = undefined
  }
  if (!receiver.first || !signedWith(secret, receiver.first)) throw new Error('the receiver got a badly signed webhook')
  return {
    eventsPerSec: QUEUED_EVENTS / ((lastOpenedAt - t0) / 1000),
    latenciesMs: latencies,
    seconds: (performance.now() - started) / 1000,
  }
}

/** One POST of a signed event body with a new connection, as the job sends; resolves on the 2xx. */
function post(url: string, secret: string, body: string, id: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000)
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureOf(secret, id, timestamp, body),
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Credport-webhooks',
      },
    })
    request.once('response', (response) => {
      response.resume()
      response.once('end', () =>
        response.statusCode && response.statusCode < 300
          ? resolve()
          : reject(new Error(`answered ${response.statusCode}`)),
      )
    })
    request.once('error', reject)
    request.end(body)
  })
}

/** An event body of the shape the outbox writes. */
function eventBody(type: string, requestId: string): { id: string; body: string } {
  const id = randomUUID()
  const body = JSON.stringify({
    event_id: id,
    type,
    created_at: new Date().toISOString(),
    data: { id: randomUUID(), request_id: requestId, status: type === 'submission.opened' ? 'incomplete' : 'verified' },
  })
  return { id, body }
}

/** One run of the baseline: the same receiver fed by a plain loop, with extra POSTs pushed while it drains. */
async function loopRun(receiver: Receiver): Promise<RunResult> {
  const started = performance.now()
  const secret = `whsec_${Buffer.from(randomUUID()).toString('base64')}`
  const queue = Array.from({ length: QUEUED_EVENTS }, () => eventBody('submission.opened', randomUUID()))
  let opened = 0
  let lastOpenedAt = 0
  const pushed = new Map<string, number>()
  const latencies: number[] = []
  receiver.onEvent = (type, key) => {
    if (type === 'submission.opened') {
      opened++
      lastOpenedAt = performance.now()
    } else {
      const at = pushed.get(key)
      if (at !== undefined) latencies.push(performance.now() - at)
    }
  }
  const t0 = performance.now()
  let failure: unknown
  const worker = async () => {
    while (failure === undefined) {
      const next = queue.shift()
      if (!next) {
        if (opened >= QUEUED_EVENTS && latencies.length >= pushed.size) return
        await sleep(1)
        continue
      }
      await post(receiver.url, secret, next.body, next.id).catch((error) => {
        failure = error
      })
    }
  }
  const workers = Array.from({ length: LOOP_CONCURRENCY }, worker)
  try {
    while (opened < QUEUED_EVENTS && pushed.size < MAX_ACCEPTS && failure === undefined) {
      const at = performance.now()
      const key = randomUUID()
      pushed.set(key, at)
      queue.push(eventBody('submission.verified', key))
      await sleep(Math.max(0, ACCEPT_EVERY_MS - (performance.now() - at)))
    }
    await Promise.all(workers)
  } finally {
    receiver.onEvent = undefined
  }
  if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure))
  return {
    eventsPerSec: QUEUED_EVENTS / ((lastOpenedAt - t0) / 1000),
    latenciesMs: latencies,
    seconds: (performance.now() - started) / 1000,
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** An in-process Credport on a database of its own (see the notes). */
async function startInProcess(env: BenchEnvironment, database: Database) {
  const adminToken = randomUUID()
  const dataDir = env.dir(`delivery-${database}`)
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ADMIN_TOKEN: adminToken,
    PARTNER_RATE_LIMIT: '0',
    OUTBOUND_ALLOW_PRIVATE: 'true',
    ...(database === 'postgres' ? { DATABASE_URL: await env.createPostgresDatabase('credport_bench_delivery') } : {}),
  })
  const deps = await createDeps(config)
  const app = await buildApp(deps, { logger: false })
  await app.ready()
  const forget = track({
    name: `in-process Credport (delivery, ${database})`,
    stop: async () => {
      await app.close()
      await deps.close()
    },
    kill: () => {},
  })
  return {
    deps,
    app,
    adminToken,
    close: async () => {
      forget()
      await app.close()
      await deps.close()
    },
  }
}

/** Measures the delivery row on `database`: `runs` job runs alternating with `runs` plain-loop runs. */
export async function measureDelivery(
  env: BenchEnvironment,
  database: Database,
  runs: number,
): Promise<{ values: string[] }> {
  const credport = await startInProcess(env, database)
  const receiver = await startReceiver()
  try {
    const job: RunResult[] = []
    const loop: RunResult[] = []
    for (let run = 1; run <= runs; run++) {
      const j = await jobRun(credport.deps, credport.app, credport.adminToken, receiver)
      job.push(j)
      log(
        `delivery on ${database}: run ${run}/${runs}: ${j.eventsPerSec.toFixed(0)} events/s, ${j.latenciesMs.length} accepts, median ${median(j.latenciesMs).toFixed(0)} ms (${j.seconds.toFixed(1)} s)`,
      )
      const l = await loopRun(receiver)
      loop.push(l)
      log(
        `delivery on ${database}: plain loop ${run}/${runs}: ${l.eventsPerSec.toFixed(0)} events/s, ${l.latenciesMs.length} extra POSTs, median ${median(l.latenciesMs).toFixed(0)} ms`,
      )
    }
    const rate = median(job.map((r) => r.eventsPerSec))
    const loopRate = median(loop.map((r) => r.eventsPerSec))
    const lat = job.flatMap((r) => r.latenciesMs)
    const loopLat = loop.flatMap((r) => r.latenciesMs)
    const ms = (v: number) => v.toFixed(0)
    return {
      values: [
        rate.toFixed(0),
        loopRate.toFixed(0),
        (rate / loopRate).toFixed(2),
        ms(median(lat)),
        ms(percentile(lat, 99)),
        ms(median(loopLat)),
        ms(percentile(loopLat, 99)),
        (percentile(lat, 99) / Math.max(1, percentile(loopLat, 99))).toFixed(2),
        job.map((r) => r.latenciesMs.length).join(', '),
        job.map((r, i) => (r.seconds + loop[i]!.seconds).toFixed(1)).join(', '),
      ],
    }
  } finally {
    await receiver.close()
    await credport.close()
  }
}
