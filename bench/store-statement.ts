// `npm run bench:store`: how much of the batch-intake gap is the storage itself. In this one
// process, on PGlite and on PostgreSQL, it alternately times
//   (a) the ajv-jsonb baseline's statement: one INSERT of the v2 batch sample as a JSONB row, and
//   (b) Credport's createSubmission for the same sample: its canonical hash, its rows, and the one
//       (on PostgreSQL prepared) statement that stores the submission, its 10 credentials and 4
//       assets with their keys, foreign keys and indexes.
// The drafts are parsed beforehand and not timed; every request has fresh ids. One statement at a
// time on one connection: this is the database time per stored batch, without HTTP, and the
// ratio (b)/(a) bounds how close the HTTP rows of `npm run bench` can come to their baseline.
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

const ROUNDS = 7
const PER_ROUND = 200

interface Row {
  database: string
  baselineUs: number
  credportUs: number
}

async function measure(name: string, database: Database): Promise<Row> {
  await database.migrate()
  const db = database.db
  await db.execute(
    sql`CREATE TABLE bench_batches (id uuid PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
  )
  // PGlite and pg.Pool both take (text, params).
  const driver = (db as unknown as { $client: { query(text: string, params: unknown[]): Promise<unknown> } }).$client
  const partnerId = randomUUID()
  await db.insert(partners).values({ id: partnerId, name: 'bench' })
  const deps = { db, clock: { now: () => new Date() }, config: { submissionTtlMs: 48 * 3600_000 } }
  const principal = { partnerId, clientId: 'cpc_bench', scopes: new Set<string>() }

  const baseline = async () => {
    const text = freshBatchBody()
    const started = performance.now()
    // The baseline server's statement, sent as it sends it: straight to the driver, two parameters.
    await driver.query('INSERT INTO bench_batches (id, body) VALUES ($1, $2::jsonb)', [randomUUID(), text])
    return performance.now() - started
  }
  const credport = async () => {
    const body: unknown = JSON.parse(freshBatchBody())
    const checked = checkBody(V2BatchSchema, body, v2BatchRules)
    if (!checked.ok) throw new Error(`the sample is not a valid batch: ${JSON.stringify(checked.issues)}`)
    const draft = v2BatchDraft(checked.value)
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
  const row = { database: name, baselineUs: median(times.baseline), credportUs: median(times.credport) }
  log(`${name}: baseline INSERT ${row.baselineUs.toFixed(0)} µs, Credport store ${row.credportUs.toFixed(0)} µs`)
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
  const postgres = await openPostgres(await cluster.createDatabase('credport_store'), 2)
  try {
    rows.push(await measure('postgres', postgres))
  } finally {
    await postgres.close()
  }
} finally {
  await stopAll()
  rmSync(tmp, { recursive: true, force: true })
}

process.stdout.write(
  `\n| database | baseline INSERT µs (median of ${ROUNDS}) | Credport store µs (median) | Credport / baseline |\n|---|---:|---:|---:|\n` +
    rows
      .map(
        (r) =>
          `| ${r.database} | ${r.baselineUs.toFixed(0)} | ${r.credportUs.toFixed(0)} | ${(r.credportUs / r.baselineUs).toFixed(2)} |`,
      )
      .join('\n') +
    '\n',
)
