// The benchmark itself (run by bench/run.ts): starts Credport on PGlite and on a private
// PostgreSQL, plus baseline servers, measures every scenario of bench/scenarios.ts with
// autocannon, then every probe (each on a Credport of its own), writes bench/results.md and
// prints the tables.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { installSignalHandlers, interrupted, leftovers, stopAll, stopRequested } from './cleanup.js'
import { errorMessage, log } from './log.js'
import { postmasterAndChildren, processGroup, startCpuCount, type CpuSources } from './cpu.js'
import { measure, preflight, type Load } from './measure.js'
import { readOptions, type BenchOptions } from './options.js'
import { ROOT, startServer, type ServerHandle } from './processes.js'
import { failures, markdown, probeTables, table, targetLines, type Cell, type ProbeCell } from './report.js'
import { BenchEnvironment, startCredport, type CredportContext, type Database } from './targets.js'
import {
  baselines,
  databasesOf,
  probes,
  scenarios,
  type Baseline,
  type BaselineName,
  type Probe,
} from '../scenarios.js'

/** A cell with what is needed to measure it. */
interface Job {
  cell: Cell
  baseUrl?: string
  load?: Load
  /** The processes whose CPU the row's requests cost. */
  cpu?: CpuSources
}

function gitCommit(): string | undefined {
  const result = spawnSync('git', ['rev-parse', '--short', 'HEAD'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return result.status === 0 ? result.stdout.trim() : undefined
}

async function settle<T>(promise: Promise<T>): Promise<T | Error> {
  try {
    return await promise
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

/** One running baseline server: a baseline, on one database when it is `perDatabase`. */
interface BaselineInstance {
  name: BaselineName
  database?: Database
}

const instanceKey = (i: BaselineInstance) => (i.database ? `${i.name} on ${i.database}` : i.name)

/** The baseline instance a scenario row on `db` is compared with. */
function baselineFor(name: BaselineName, db: Database): BaselineInstance {
  const baseline: Baseline = baselines[name]
  return baseline.perDatabase ? { name, database: db } : { name }
}

async function startBaseline(env: BenchEnvironment, instance: BaselineInstance): Promise<ServerHandle> {
  const baseline: Baseline = baselines[instance.name]
  const what = instanceKey(instance)
  const extra = baseline.env ? await baseline.env(env, instance.database) : {}
  log(`starting baseline ${what}…`)
  const server = await startServer({
    name: `baseline ${what}`,
    script: baseline.script,
    env: { LOG_LEVEL: 'warn', ...extra },
    readyPath: baseline.readyPath,
  })
  log(`baseline ${what} ready at ${server.url}`)
  return server
}

/** Where a row's CPU goes: its server's process group, and the cluster's processes on PostgreSQL. */
async function cpuSources(
  env: BenchEnvironment,
  server: ServerHandle,
  database: Database | undefined,
): Promise<CpuSources> {
  const postmaster = database === 'postgres' ? (await env.postgresCluster()).postmasterPid : undefined
  return { server: processGroup(server.pid), database: postmaster ? postmasterAndChildren(postmaster) : undefined }
}

/** The scenarios and probes BENCH_ONLY selects (all by default). */
function select(options: BenchOptions): { selected: typeof scenarios; selectedProbes: Probe[] } {
  const known = [...scenarios.map((s) => s.name), ...probes.map((p) => p.name)]
  const unknown = (options.only ?? []).filter((name) => !known.includes(name))
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown scenario ${unknown.join(', ')} (known: ${known.join(', ')})`)
  const selected = options.only ? scenarios.filter((s) => options.only!.includes(s.name)) : scenarios
  const selectedProbes = options.only ? probes.filter((p) => options.only!.includes(p.name)) : probes
  if (selected.length === 0 && selectedProbes.length === 0) throw new Error('no scenario selected')
  return { selected, selectedProbes }
}

/** Starts the servers the selected scenarios need and prepares one job per table row. */
async function prepare(env: BenchEnvironment, selected: typeof scenarios): Promise<Job[]> {
  if (selected.length === 0) return []
  const databases = [...new Set(selected.flatMap((s) => databasesOf(s)))]
  const instances = new Map<string, BaselineInstance>()
  for (const scenario of selected) {
    for (const db of databasesOf(scenario)) {
      const instance = baselineFor(scenario.baseline, db)
      instances.set(instanceKey(instance), instance)
    }
  }

  // Start everything at once; a server that fails only fails the rows that need it.
  const credport = new Map<Database, CredportContext | Error>()
  const baselineServers = new Map<string, ServerHandle | Error>()
  await Promise.all([
    ...databases.map(async (db) => credport.set(db, await settle(startCredport(env, db)))),
    ...[...instances].map(async ([key, instance]) =>
      baselineServers.set(key, await settle(startBaseline(env, instance))),
    ),
  ])
  for (const [what, value] of [...credport, ...baselineServers]) {
    if (value instanceof Error) log(`FAILED to start ${what}: ${value.message}`)
  }

  const jobs: Job[] = []
  const baselineCells = new Map<string, Cell>()
  for (const [key, instance] of instances) {
    const baseline: Baseline = baselines[instance.name]
    const server = baselineServers.get(key)!
    const cell: Cell = {
      scenario: `${instance.name} (baseline)`,
      database: instance.database ?? '—',
      description: baseline.description,
      runs: [],
      connections: baseline.connections,
    }
    baselineCells.set(key, cell)
    const job: Job = { cell }
    if (server instanceof Error) cell.failure = `server did not start: ${server.message}`
    else {
      try {
        job.load = typeof baseline.load === 'function' ? baseline.load() : baseline.load
        job.baseUrl = server.url
        job.cpu = await cpuSources(env, server, instance.database)
      } catch (error) {
        cell.failure = `could not prepare the request: ${errorMessage(error)}`
      }
    }
    jobs.push(job)
  }
  for (const scenario of selected) {
    for (const db of databasesOf(scenario)) {
      const baseline = baselineCells.get(instanceKey(baselineFor(scenario.baseline, db)))
      const cell: Cell = {
        scenario: scenario.name,
        database: db,
        description: scenario.description,
        baseline,
        targets: !scenario.targetDatabases || scenario.targetDatabases.includes(db) ? scenario.targets : undefined,
        runs: [],
        connections: scenario.connections,
        targetNote:
          scenario.targetDatabases && !scenario.targetDatabases.includes(db)
            ? `reported only (its targets are judged on ${scenario.targetDatabases.join(', ')})`
            : undefined,
      }
      const job: Job = { cell }
      const ctx = credport.get(db)!
      if (ctx instanceof Error) cell.failure = `Credport on ${db} did not start: ${ctx.message}`
      else {
        try {
          job.load = await scenario.load(ctx)
          job.baseUrl = ctx.baseUrl
          job.cpu = await cpuSources(env, ctx.server, db)
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
      const result = await measure(job.baseUrl!, job.load!, {
        durationSeconds: options.warmupSeconds,
        connections: job.cell.connections ?? options.connections,
      })
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
      const countCpu = job.cpu ? startCpuCount(job.cpu) : undefined
      const result = await measure(job.baseUrl!, job.load!, {
        durationSeconds: options.durationSeconds,
        connections: job.cell.connections ?? options.connections,
      })
      if (countCpu) result.cpu = countCpu(result.total)
      if (result.failure) {
        job.cell.failure = `run ${round}: ${result.failure}`
        log(`${name}: FAILED ${result.failure}`)
        continue
      }
      job.cell.runs.push(result)
      const cpu = result.cpu
        ? `; CPU ms/req: server ${result.cpu.server.toFixed(2)}${result.cpu.database === null ? '' : `, database ${result.cpu.database.toFixed(2)}`}, load generator ${result.cpu.loadGenerator.toFixed(2)}`
        : ''
      log(
        `${name}: ${Math.round(result.reqPerSec)} req/s, p99 ${result.p99Ms} ms (${result.total} responses, all 2xx)${cpu}`,
      )
    }
  }
}

/**
 * Runs each probe on each of its databases, one at a time, each on a Credport started for it alone
 * (so that it measures a fresh server, and the autocannon servers' state does not count) and
 * stopped after it.
 */
async function runProbes(env: BenchEnvironment, selected: Probe[], options: BenchOptions): Promise<ProbeCell[]> {
  const cells: ProbeCell[] = []
  for (const probe of selected) {
    for (const db of databasesOf(probe)) {
      const cell: ProbeCell = {
        scenario: probe.name,
        database: db,
        description: probe.description,
        columns: probe.columns,
        notes: probe.notes?.(options),
      }
      cells.push(cell)
      if (stopRequested()) {
        cell.failure = 'interrupted'
        continue
      }
      if (probe.runInProcess) {
        const result = await settle(probe.runInProcess(env, db, options))
        if (result instanceof Error) {
          cell.failure = errorMessage(result)
          log(`${probe.name} on ${db}: FAILED ${cell.failure}`)
        } else {
          cell.values = result.values
          cell.targets = result.targets
          log(`${probe.name} on ${db}: ${probe.columns.map((c, i) => `${c} ${result.values[i]}`).join(', ')}`)
        }
        continue
      }
      if (!probe.run) throw new Error(`probe ${probe.name} has neither run nor runInProcess`)
      const ctx = await settle(startCredport(env, db, probe.name))
      if (ctx instanceof Error) {
        cell.failure = `Credport on ${db} did not start: ${ctx.message}`
        log(`${probe.name} on ${db}: FAILED ${cell.failure}`)
        continue
      }
      try {
        const result = await probe.run(ctx, options)
        cell.values = result.values
        cell.targets = result.targets
        log(`${probe.name} on ${db}: ${probe.columns.map((c, i) => `${c} ${result.values[i]}`).join(', ')}`)
      } catch (error) {
        cell.failure = errorMessage(error)
        log(`${probe.name} on ${db}: FAILED ${cell.failure}`)
      } finally {
        await ctx.server.stop()
      }
    }
  }
  return cells
}

async function main(): Promise<number> {
  const options = readOptions()
  installSignalHandlers()
  const startedAt = new Date()
  const loadAtStart = os.loadavg()[0]!
  const env = new BenchEnvironment()
  let jobs: Job[]
  let probeCells: ProbeCell[] = []
  let postgresVersion: string | undefined
  try {
    const { selected, selectedProbes } = select(options)
    jobs = await prepare(env, selected)
    await runAll(jobs, options)
    probeCells = await runProbes(env, selectedProbes, options)
    postgresVersion = await env.postgresVersion()
  } finally {
    log('stopping servers…')
    await stopAll()
    const { checked, running } = leftovers()
    if (running.length > 0) log(`WARNING: still running after stop: ${running.join(', ')}`)
    else log(`stopped: ${checked} server process group(s)/cluster(s), none left running`)
  }
  if (interrupted()) return 130 // the signal handler exits; write no partial report
  const cells = jobs.map((j) => j.cell)
  const load = { start: loadAtStart, end: os.loadavg()[0]! }
  const report = markdown(cells, probeCells, { options, startedAt, postgresVersion, commit: gitCommit(), load })
  writeFileSync(options.output, report)
  log(
    `wrote ${path.relative(process.cwd(), options.output) || options.output} (${((Date.now() - startedAt.getTime()) / 1000).toFixed(0)} s in all)`,
  )
  const failed = failures(cells, probeCells)
  const targets = targetLines(cells, probeCells)
  const tables = [...(cells.length > 0 ? [table(cells, options.runs)] : []), ...probeTables(probeCells)]
  process.stdout.write(
    `${tables.join('\n\n')}\n` +
      (targets.length > 0 ? `\nTargets:\n${targets.join('\n')}\n` : '') +
      (failed.length > 0 ? `\nFailures:\n${failed.join('\n')}\n` : ''),
  )
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
