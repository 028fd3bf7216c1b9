// `npm run bench:store`: how much of the batch-intake gap is the storage itself. In this one
// process, on PGlite and on PostgreSQL, it alternately times
//   (a) the ajv-jsonb baseline's statement: one INSERT of the v2 batch sample as a JSONB row, and
//   (b) Credport's createSubmission for the same sample: its canonical hash, its rows, and the one
//       (on PostgreSQL prepared) statement that stores the submission, its 10 credentials and 4
//       assets with their keys, foreign keys and indexes.
// The drafts are parsed beforehand and not timed; every request has fresh ids. First one statement
// at a time on one connection: the database time per stored batch, without HTTP. Then as the HTTP
// rows of `npm run bench` send them, 10 at once (STORE_CONCURRENCY), where Credport stores the
// batches that arrive while its statements run together on PostgreSQL (insert-groups.ts): the CPU per stored
// batch of this process (with PGlite, the database too) and of the PostgreSQL cluster, on a
// pool of 10. The ratios bound how close the HTTP rows can come to their baseline.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { openPglite, openPostgres, type Database } from '../src/db/client.js'
import { partners } from '../src/db/schema.js'
import { createSubmission } from '../src/modules/submissions/create-submission.js'
import { checkBody } from '../src/lib/validation.js'
import { v2BatchDraft } from '../src/modules/submissions/intake-drafts.js'
import { v2BatchRules, V2BatchSchema } from '../src/modules/intake-bodies/index.js'
import { freshBatchBody } from './lib/batch.js'
import { installSignalHandlers, stopAll } from './lib/cleanup.js'
import { log } from './lib/log.js'
import { median } from './lib/measure.js'
import { startPostgres } from './lib/postgres.js'
import { postmasterAndChildren, startCpuCount } from './lib/cpu.js'

const ROUNDS = 7
const PER_ROUND = 200
const CONCURRENCY = Number(process.env.STORE_CONCURRENCY ?? 10)

interface Row {
  database: string
  baselineUs: number
  credportUs: number
  /** With CONCURRENCY at once: stored batches per second and CPU ms per batch (this process, database). */
  concurrent: Record<'baseline' | 'credport', { perSecond: number; cpuMs: number; databaseCpuMs: number | null }>
}

async function measure(name: string, database: Database, postmasterPid?: number): Promise<Row> {
  await database.migrate()
  const db = database.db
  await db.execute(
    sql`CREATE TABLE bench_batches (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  )
  // PGlite and pg.Pool both take (text, params).
  const driver = (db as unknown as { $client: { query(text: string, params: unknown[]): Promise<unknown> } }).$client
  const partnerId = randomUUID()
  await db.insert(partners).values({ id: partnerId, name: 'bench' })
  const deps = { db, database, clock: { now: () => new Date() }, config: { submissionTtlMs: 48 * 3600_000 } }
  const principal = { partnerId, clientId: 'cpc_bench', scopes: new Set<string>() }

  const baseline = async (text = freshBatchBody()) => {
    const started = performance.now()
    // The baseline server's statement, sent as it sends it: straight to the driver, two parameters.
    await driver.query('INSERT INTO bench_batches (id, body) VALUES ($1, $2::jsonb)', [randomUUID(), text])
    return performance.now() - started
  }
  const parsed = () => {
    const body: unknown = JSON.parse(freshBatchBody())
    const checked = checkBody(V2BatchSchema, body, v2BatchRules)
    if (!checked.ok) throw new Error(`the sample is not a valid batch: ${JSON.stringify(checked.issues)}`)
    return { body, draft: v2BatchDraft(checked.value) }
  }
  const credport = async (ready = parsed()) => {
    const { body, draft } = ready
    const started = performance.now()
    await createSubmission(deps, principal, draft, body)
    return performance.now() - started
  }
  const times = { baseline: [] as number[], credport: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, run] of [
      ['baseline', baseline],
      ['credport', credport],
    ] as const) {
      for (let i = 0; i < 20; i++) await run() // warm-up
      let total = 0
      for (let i = 0; i < PER_ROUND; i++) total += await run()
      times[kind].push((total / PER_ROUND) * 1000)
    }
  }
  const baselineUs = median(times.baseline)
  const credportUs = median(times.credport)
  log(
    `${name}: baseline INSERT ${baselineUs.toFixed(0)} µs, Credport store ${credportUs.toFixed(0)} µs (one at a time)`,
  )

  // CONCURRENCY loops at once; the drafts are made beforehand (their CPU is not counted).
  const concurrent = async <T>(prepare: () => T, run: (prepared: T) => Promise<number>) => {
    const prepared = Array.from({ length: CONCURRENCY }, () => Array.from({ length: PER_ROUND / 2 }, prepare))
    const cpu = startCpuCount({
      server: () => [],
      database: postmasterPid === undefined ? undefined : postmasterAndChildren(postmasterPid),
    })
    const started = performance.now()
    await Promise.all(
      prepared.map(async (list) => {
        for (const item of list) await run(item)
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const n = CONCURRENCY * (PER_ROUND / 2)
    const used = cpu(n)
    return { perSecond: n / seconds, cpuMs: used.loadGenerator, databaseCpuMs: used.database }
  }
  type Sample = Row['concurrent']['baseline']
  const samples = { baseline: [] as Sample[], credport: [] as Sample[] }
  for (let round = 0; round < ROUNDS; round++) {
    samples.baseline.push(await concurrent(freshBatchBody, baseline))
    samples.credport.push(await concurrent(parsed, credport))
  }
  const summary = (list: Sample[]): Sample => ({
    perSecond: median(list.map((s) => s.perSecond)),
    cpuMs: median(list.map((s) => s.cpuMs)),
    databaseCpuMs: list[0]!.databaseCpuMs === null ? null : median(list.map((s) => s.databaseCpuMs!)),
  })
  const row = {
    database: name,
    baselineUs,
    credportUs,
    concurrent: { baseline: summary(samples.baseline), credport: summary(samples.credport) },
  }
  log(`${name}, ${CONCURRENCY} at once: ${JSON.stringify(row.concurrent)}`)
  return row
}

installSignalHandlers()
const rows: Row[] = []
const tmp = mkdtempSync(path.join(os.tmpdir(), 'credport-store-'))
try {
  const pglite = await openPglite({ dataDir: path.join(tmp, 'pglite') })
  try {
    rows.push(await measure('pglite', pglite))
  } finally {
    await pglite.close()
  }
  const cluster = await startPostgres()
  const postgres = await openPostgres(await cluster.createDatabase('credport_store'), CONCURRENCY)
  try {
    rows.push(await measure('postgres', postgres, cluster.postmasterPid))
  } finally {
    await postgres.close()
  }
} finally {
  await stopAll()
  rmSync(tmp, { recursive: true, force: true })
}

const ms = (value: number | null) => (value === null ? 'in process' : value.toFixed(3))
process.stdout.write(
  `\n| database | baseline INSERT µs (median of ${ROUNDS}) | Credport store µs (median) | Credport / baseline |\n|---|---:|---:|---:|\n` +
    rows
      .map(
        (r) =>
          `| ${r.database} | ${r.baselineUs.toFixed(0)} | ${r.credportUs.toFixed(0)} | ${(r.credportUs / r.baselineUs).toFixed(2)} |`,
      )
      .join('\n') +
    `\n\n${CONCURRENCY} at once (median of ${ROUNDS}; CPU ms per stored batch):\n\n` +
    '| database | baseline batches/s | Credport batches/s | ratio | baseline CPU ms: process | database | Credport CPU ms: process | database | CPU ratio (sum) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n' +
    rows
      .map((r) => {
        const { baseline: b, credport: c } = r.concurrent
        const sum = (x: typeof b) => x.cpuMs + (x.databaseCpuMs ?? 0)
        return `| ${r.database} | ${b.perSecond.toFixed(0)} | ${c.perSecond.toFixed(0)} | ${(c.perSecond / b.perSecond).toFixed(2)} | ${ms(b.cpuMs)} | ${ms(b.databaseCpuMs)} | ${ms(c.cpuMs)} | ${ms(c.databaseCpuMs)} | ${(sum(c) / sum(b)).toFixed(2)} |`
      })
      .join('\n') +
    '\n',
)
