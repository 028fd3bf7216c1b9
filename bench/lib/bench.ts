// The benchmark itself (run by bench/run.ts): starts Credport on PGlite and on a private
// PostgreSQL, plus baseline servers, measures every scenario of bench/scenarios.ts with
// autocannon, writes bench/results.md and prints the table.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { installSignalHandlers, interrupted, leftovers, stopAll, stopRequested } from './cleanup.js'
import { errorMessage, log } from './log.js'
import { measure, preflight, type Load } from './measure.js'
import { readOptions, type BenchOptions } from './options.js'
import { ROOT, startServer } from './processes.js'
import { failures, markdown, table, type Cell } from './report.js'
import { BenchEnvironment, startCredport, type CredportContext, type Database } from './targets.js'
import { baselines, databasesOf, scenarios, type Baseline, type BaselineName } from '../scenarios.js'

/** A cell with what is needed to measure it. */
interface Job {
  cell: Cell
  baseUrl?: string
  load?: Load
}

function gitCommit(): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  return result.status === 0 ? result.stdout.trim() : undefined
}

async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

async function startBaseline(env: BenchEnvironment, name: BaselineName): Promise<string> {
  const baseline: Baseline = baselines[name]
  const extra = baseline.env ? await baseline.env(env) : {}
  log(`starting baseline ${name}…`)
  const server = await startServer({
    name: `baseline ${name}`,
    script: baseline.script,
    env: { LOG_LEVEL: 'warn', ...extra },
    readyPath: baseline.readyPath,
  })
  log(`baseline ${name} ready at ${server.url}`)
  return server.url
}

/** Starts the servers the selected scenarios need and prepares one job per table row. */
async function prepare(env: BenchEnvironment, options: BenchOptions): Promise<Job[]> {
  const selected = options.only ? scenarios.filter((s) => options.only!.includes(s.name)) : scenarios
  const unknown = (options.only ?? []).filter((name) => !scenarios.some((s) => s.name === name))
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(', ')} (known: ${scenarios.map((s) => s.name).join(', ')})`)
  if (selected.length === 0) throw new Error('no scenario selected')

  const databases = [...new Set(selected.flatMap((s) => databasesOf(s)))]
  const baselineNames = [...new Set(selected.map((s) => s.baseline))]

  // Start everything at once; a server that fails only fails the rows that need it.
  const credport = new Map<Database, CredportContext | Error>()
  const baselineUrls = new Map<BaselineName, string | Error>()
  await Promise.all([
    ...databases.map(async (db) => credport.set(db, await settle(startCredport(env, db)))),
    ...baselineNames.map(async (name) => baselineUrls.set(name, await settle(startBaseline(env, name)))),
  ])
  for (const [what, value] of [...credport, ...baselineUrls]) {
    if (value instanceof Error) log(`FAILED to start ${what}: ${value.message}`)
  }

  const jobs: Job[] = []
  const baselineCells = new Map<BaselineName, Cell>()
  for (const name of baselineNames) {
    const url = baselineUrls.get(name)!
    const cell: Cell = { scenario: `${name} (baseline)`, database: '—', description: baselines[name].description, runs: [] }
    baselineCells.set(name, cell)
    const job: Job = { cell, load: baselines[name].load }
    if (url instanceof Error) cell.failure = `server did not start: ${url.message}`
    else job.baseUrl = url
    jobs.push(job)
  }
  for (const scenario of selected) {
    for (const db of databasesOf(scenario)) {
      const cell: Cell = { scenario: scenario.name, database: db, description: scenario.description, baseline: baselineCells.get(scenario.baseline), runs: [] }
      const job: Job = { cell }
      const ctx = credport.get(db)!
      if (ctx instanceof Error) cell.failure = `Credport on ${db} did not start: ${ctx.message}`
      else {
        try {
          job.load = await scenario.load(ctx)
          job.baseUrl = ctx.baseUrl
        } catch (error) {
          cell.failure = `could not prepare the request: ${errorMessage(error)}`
        }
      }
      jobs.push(job)
    }
  }
  // One request each before measuring: a route that answers 4xx/5xx is reported, not timed.
  for (const job of jobs) {
    if (job.cell.failure || !job.baseUrl || !job.load) continue
    const problem = await preflight(job.baseUrl, job.load)
    if (problem) {
      job.cell.failure = `pre-flight request failed: ${problem}`
      log(`${label(job.cell)}: ${job.cell.failure}`)
    }
  }
  return jobs
}

const label = (cell: Cell) => (cell.database === '—' ? cell.scenario : `${cell.scenario} on ${cell.database}`)

async function runAll(jobs: Job[], options: BenchOptions): Promise<void> {
  const runnable = () => jobs.filter((j) => !j.cell.failure && j.baseUrl && j.load)
  if (options.warmupSeconds > 0) {
    for (const job of runnable()) {
      if (stopRequested()) return
      log(`${label(job.cell)}: warm-up ${options.warmupSeconds} s …`)
      const result = await measure(job.baseUrl!, job.load!, { durationSeconds: options.warmupSeconds, connections: options.connections })
      if (result.failure) {
        job.cell.failure = `warm-up: ${result.failure}`
        log(`${label(job.cell)}: FAILED ${job.cell.failure}`)
      }
    }
  }
  // Rounds: run 1 of every row, then run 2 of every row… so drifting machine noise hits all rows.
  for (let round = 1; round <= options.runs; round++) {
    for (const job of runnable()) {
      if (stopRequested()) return
      const name = `${label(job.cell)}: run ${round}/${options.runs}`
      log(`${name} …`)
      const result = await measure(job.baseUrl!, job.load!, { durationSeconds: options.durationSeconds, connections: options.connections })
      if (result.failure) {
        job.cell.failure = `run ${round}: ${result.failure}`
        log(`${name}: FAILED ${result.failure}`)
        continue
      }
      job.cell.runs.push(result)
      log(`${name}: ${Math.round(result.reqPerSec)} req/s, p99 ${result.p99Ms} ms (${result.total} responses, all 2xx)`)
    }
  }
}

async function main(): Promise<number> {
  const options = readOptions()
  installSignalHandlers()
  const startedAt = new Date()
  const env = new BenchEnvironment()
  let jobs: Job[]
  let postgresVersion: string | undefined
  try {
    jobs = await prepare(env, options)
    postgresVersion = await env.postgresVersion()
    await runAll(jobs, options)
  } finally {
    log('stopping servers…')
    await stopAll()
    const { checked, running } = leftovers()
    if (running.length > 0) log(`WARNING: still running after stop: ${running.join(', ')}`)
    else log(`stopped: ${checked} server process group(s)/cluster(s), none left running`)
  }
  if (interrupted()) return 130 // the signal handler exits; write no partial report
  const cells = jobs.map((j) => j.cell)
  const report = markdown(cells, { options, startedAt, postgresVersion, commit: gitCommit() })
  writeFileSync(options.output, report)
  log(`wrote ${path.relative(process.cwd(), options.output) || options.output} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`)
  const failed = failures(cells)
  process.stdout.write(`${table(cells, options.runs)}\n${failed.length > 0 ? `\nFailures:\n${failed.join('\n')}\n` : ''}`)
  if (failed.length > 0) log(`${failed.length} row(s) FAILED`)
  return failed.length > 0 ? 1 : 0
}

/** Runs the benchmark; resolves with the exit code (1 when a row failed). */
export async function runBenchmark(): Promise<number> {
  try {
    return await main()
  } catch (error) {
    log(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    await stopAll()
    return 1
  }
}
