// The markdown report: header, the autocannon table, one table per probe (e.g. uploads), the
// targets, how to read it.
import os from 'node:os'
import { median, type RunResult } from './measure.js'
import type { BenchOptions } from './options.js'

/** Targets of an autocannon row, relative to its baseline measured in the same run. */
export interface LoadTargets {
  /** Least req/s as a fraction of the baseline's (0.6 = at least 60 %). */
  minThroughputRatio?: number
  /** Most p99 latency as a multiple of the baseline's (2 = at most twice). */
  maxP99Ratio?: number
  /** Most p99 latency in milliseconds (an absolute target, e.g. 50). */
  maxP99Ms?: number
}

/** One target checked against a measurement. */
export interface TargetCheck {
  /** What is compared, e.g. `req/s vs baseline`. */
  what: string
  met: boolean
  /** The measured value, e.g. `0.42×`. */
  value: string
  /** The wanted one, e.g. `≥ 0.60×`. */
  target: string
}

/** One row of the table: a scenario on one database, or a baseline. */
export interface Cell {
  scenario: string
  /** 'pglite' | 'postgres', or '—' for a baseline that does not depend on a database. */
  database: string
  description: string
  /** The baseline cell this one is divided by (undefined for a baseline itself). */
  baseline?: Cell
  targets?: LoadTargets
  /** Why it has no result: the server did not start, the pre-flight request or a run failed. */
  failure?: string
  runs: RunResult[]
  /** Its concurrent connections, when not the run's BENCH_CONNECTIONS. */
  connections?: number
  /** Said in the targets list of a row without targets (e.g. that they are judged on another database). */
  targetNote?: string
}

/** One row of a probe's table (a measurement autocannon cannot make, e.g. streaming uploads). */
export interface ProbeCell {
  scenario: string
  database: string
  description: string
  /** Column headings after scenario and database (the same for every row of a probe). */
  columns: readonly string[]
  /** One value per column, once measured. */
  values?: string[]
  targets?: TargetCheck[]
  /** Lines for the report under the probe's table (how it was measured). */
  notes?: readonly string[]
  failure?: string
}

export interface Summary {
  reqPerSec: number
  p99Ms: number
}

export function summarize(cell: Cell): Summary | undefined {
  if (cell.failure || cell.runs.length === 0) return undefined
  return { reqPerSec: median(cell.runs.map((r) => r.reqPerSec)), p99Ms: median(cell.runs.map((r) => r.p99Ms)) }
}

const round = (n: number) => Math.round(n).toString()
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const label = (c: { scenario: string; database: string }) =>
  `${c.scenario}${c.database === '—' ? '' : ` on ${c.database}`}`

/** autocannon reports whole milliseconds: a p99 under 1 ms (shown as 0) counts as 1 ms on either side. */
function p99Ratio(own: { p99Ms: number }, base: { p99Ms: number }): number {
  return Math.max(own.p99Ms, 1) / Math.max(base.p99Ms, 1)
}

/** The targets of an autocannon row checked against its medians; undefined when it has none or no result. */
export function checkTargets(cell: Cell): TargetCheck[] | undefined {
  const own = summarize(cell)
  const base = cell.baseline ? summarize(cell.baseline) : undefined
  const targets = cell.targets
  if (!targets || !own || !base) return undefined
  const checks: TargetCheck[] = []
  if (targets.maxP99Ms !== undefined) {
    checks.push({
      what: 'p99',
      met: own.p99Ms < targets.maxP99Ms,
      value: `${round(own.p99Ms)} ms`,
      target: `< ${targets.maxP99Ms} ms`,
    })
  }
  if (targets.minThroughputRatio !== undefined) {
    const ratio = own.reqPerSec / base.reqPerSec
    checks.push({
      what: 'req/s vs baseline',
      met: ratio >= targets.minThroughputRatio,
      value: `${ratio.toFixed(2)}×`,
      target: `≥ ${targets.minThroughputRatio.toFixed(2)}×`,
    })
  }
  if (targets.maxP99Ratio !== undefined) {
    const ratio = p99Ratio(own, base)
    checks.push({
      what: 'p99 vs baseline',
      met: ratio <= targets.maxP99Ratio,
      value: `${ratio.toFixed(2)}×`,
      target: `≤ ${targets.maxP99Ratio.toFixed(2)}×`,
    })
  }
  return checks
}

/** `met`, `**not met**`, or undefined when there is nothing to judge. */
function verdict(checks: TargetCheck[] | undefined): string | undefined {
  if (!checks || checks.length === 0) return undefined
  return checks.every((c) => c.met) ? 'met' : '**not met**'
}

/** One line per failed row: what went wrong. */
export function failures(cells: Cell[], probes: ProbeCell[] = []): string[] {
  const failed = [
    ...cells.filter((c) => !summarize(c)).map((c) => ({ c, why: c.failure ?? 'no result' })),
    ...probes.filter((p) => p.failure || !p.values).map((c) => ({ c, why: c.failure ?? 'no result' })),
  ]
  return failed.map(({ c, why }) => `- ${label(c)}: ${why.replace(/\s+/g, ' ').slice(0, 600)}`)
}

/** Median CPU ms per request of a row's runs: server, database (its own processes), load generator. */
function cpuColumns(cell: Cell): string[] {
  const runs = cell.runs.flatMap((r) => (r.cpu ? [r.cpu] : []))
  if (runs.length === 0) return ['—', '—', '—']
  const ms = (values: number[]) => median(values).toFixed(2)
  const database = runs.every((r) => r.database !== null)
    ? ms(runs.map((r) => r.database!))
    : cell.database === 'pglite'
      ? 'in server'
      : '—'
  return [ms(runs.map((r) => r.server)), database, ms(runs.map((r) => r.loadGenerator))]
}

export function table(cells: Cell[], runs: number): string {
  const lines = [
    `| scenario | database | req/s (median of ${runs}) | p99 ms (median) | baseline req/s | ratio to baseline | p99 ratio to baseline | CPU ms/req: server | CPU ms/req: database | CPU ms/req: load generator | targets |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ]
  for (const cell of cells) {
    const own = summarize(cell)
    const base = cell.baseline ? summarize(cell.baseline) : own
    const baseText = base ? round(base.reqPerSec) : cell.baseline?.failure ? 'failed' : 'n/a'
    const targets = cell.targets ? (verdict(checkTargets(cell)) ?? 'not measured') : '—'
    if (!own) {
      lines.push(
        `| ${cell.scenario} | ${cell.database} | **FAILED** (see failures) | — | ${baseText} | — | — | — | — | — | ${targets} |`,
      )
      continue
    }
    const ratio = base ? (own.reqPerSec / base.reqPerSec).toFixed(2) : 'n/a'
    const latencyRatio = base ? p99Ratio(own, base).toFixed(2) : 'n/a'
    lines.push(
      `| ${cell.scenario} | ${cell.database} | ${round(own.reqPerSec)} | ${round(own.p99Ms)} | ${baseText} | ${ratio} | ${latencyRatio} | ${cpuColumns(cell).join(' | ')} | ${targets} |`,
    )
  }
  return lines.join('\n')
}

/** One table per probe (rows: its databases), each with a targets column. */
export function probeTables(probes: ProbeCell[]): string[] {
  const byName = new Map<string, ProbeCell[]>()
  for (const probe of probes) byName.set(probe.scenario, [...(byName.get(probe.scenario) ?? []), probe])
  return [...byName.values()].map((rows) => {
    const columns = rows[0]!.columns
    const lines = [
      `| scenario | database | ${columns.join(' | ')} | targets |`,
      `|---|---|${columns.map(() => '---:').join('|')}|---|`,
    ]
    for (const row of rows) {
      const values =
        row.failure || !row.values ? ['**FAILED** (see failures)', ...columns.slice(1).map(() => '—')] : row.values
      const targets = row.failure || !row.values ? 'not measured' : (verdict(row.targets) ?? '—')
      lines.push(`| ${row.scenario} | ${row.database} | ${values.join(' | ')} | ${targets} |`)
    }
    return lines.join('\n')
  })
}

/** One line per scenario and database: targets met or not, with the numbers. */
export function targetLines(cells: Cell[], probes: ProbeCell[] = []): string[] {
  const describe = (checks: TargetCheck[]) =>
    checks.map((c) => `${c.what} ${c.value} (target ${c.target}: ${c.met ? 'met' : 'not met'})`).join('; ')
  const lines: string[] = []
  const scenariosWithout = new Set<string>()
  for (const cell of cells) {
    if (!cell.baseline) continue // baselines have no targets of their own
    if (!cell.targets) {
      if (cell.targetNote) lines.push(`- ${label(cell)}: ${cell.targetNote}`)
      else scenariosWithout.add(cell.scenario)
      continue
    }
    const checks = checkTargets(cell)
    lines.push(
      checks
        ? `- ${label(cell)}: ${verdict(checks)} — ${describe(checks)}`
        : `- ${label(cell)}: **not measured** (the row or its baseline failed)`,
    )
  }
  for (const probe of probes) {
    if (probe.failure || !probe.targets) lines.push(`- ${label(probe)}: **not measured** (the row failed)`)
    else if (probe.targets.length === 0) scenariosWithout.add(probe.scenario)
    else lines.push(`- ${label(probe)}: ${verdict(probe.targets)} — ${describe(probe.targets)}`)
  }
  for (const name of scenariosWithout) lines.push(`- ${name}: no target set`)
  return lines
}

export interface ReportContext {
  options: BenchOptions
  startedAt: Date
  postgresVersion?: string
  commit?: string
  /** 1-minute load averages at the start and the end: other work on the machine skews every row. */
  load?: { start: number; end: number }
}

export function markdown(cells: Cell[], probes: ProbeCell[], context: ReportContext): string {
  const { options } = context
  const cpus = os.cpus()
  const models = [...new Set(cpus.map((c) => c.model.trim()))].join(', ') || 'unknown'
  const ownConnections = new Map<number, Set<string>>()
  for (const cell of cells) {
    if (cell.connections === undefined || cell.connections === options.connections) continue
    ownConnections.set(cell.connections, (ownConnections.get(cell.connections) ?? new Set()).add(cell.scenario))
  }
  const connectionsText = [
    plural(options.connections, 'connection'),
    ...[...ownConnections].map(([n, names]) => `${n} for ${[...names].join(', ')}`),
  ].join('; ')
  const header = [
    '# Credport benchmark results',
    '',
    `- Date: ${context.startedAt.toISOString()}${context.commit ? ` (commit ${context.commit})` : ''}`,
    `- Node ${process.version} on ${os.platform()} ${os.arch()}; ${cpus.length} CPU${cpus.length === 1 ? '' : 's'}: ${models}`,
    `- autocannon: ${options.durationSeconds} s per run, ${connectionsText}, ${plural(options.runs, 'run')} per row (interleaved), ${options.warmupSeconds} s warm-up per row`,
    `- Databases: PGlite (embedded, default) and PostgreSQL ${context.postgresVersion ?? '(not started)'} (private local cluster, fsync off)`,
    '- Credport runs its compiled build (`node dist/server.js`, as `npm start` runs it; built first when stale); the baselines run through tsx, with the Credport modules they use from the same build (bench/lib/compiled-sources.mjs)',
    ...(context.load
      ? [
          `- Load average (1 min) at start ${context.load.start.toFixed(1)}, at end ${context.load.end.toFixed(1)}, on ${plural(cpus.length, 'CPU')}`,
        ]
      : []),
  ]
  const definitions = [
    ...new Map([...cells, ...probes].map((c) => [c.scenario, `- **${c.scenario}**: ${c.description}`])).values(),
  ]
  const failed = failures(cells, probes)
  const targets = targetLines(cells, probes)
  const probeNotes = [...new Set(probes.flatMap((p) => p.notes ?? []))]
  const howTo = [
    '## How to read this',
    '',
    'Each row of the first table is one route measured with autocannon from the same machine, on loopback; req/s and p99 are the medians ' +
      `of ${plural(options.runs, 'run')}, and the runs of every row are interleaved so that a noisy moment hits all rows alike. ` +
      'The machines are small (2 cores shared by the load generator, the server and the database) and noisy, so the ' +
      'absolute numbers move from run to run: compare the **ratio to baseline**, the throughput of the route divided by ' +
      'that of its baseline served by the same Node in the same run (a bare Fastify hello-world for token and me). A ratio of 0.5 means the route does ' +
      'about as much work per request as the framework itself; PGlite rows also show that the embedded database runs in ' +
      'the server process (one connection), while PostgreSQL rows pay a network round trip but use another process. ' +
      'A row whose responses were not all 2xx (or had connection errors) is reported as FAILED, never as a speed.',
    '',
    "The **CPU ms/req** columns say where a request's cost goes (medians of the runs; user + system time from " +
      "/proc/<pid>/stat read before and after each run, divided by the responses): the server's processes, the PostgreSQL " +
      "cluster's processes (PGlite runs inside the server), and the load generator (autocannon, in the benchmark's own " +
      "process). With the three sharing 2 cores, a row's throughput is about the cores kept busy divided by the sum of " +
      'its three columns, so a ratio to baseline follows the ratio of those sums.',
    '',
    'A baseline with a database (ajv-jsonb) runs once per database, on the same kind of database as the rows it is ' +
      'compared with: its PGlite row is an embedded PGlite in the baseline process, its PostgreSQL row a database in the same ' +
      "cluster. The **p99 ratio** is the row's median p99 divided by its baseline's (autocannon reports whole milliseconds; a p99 under 1 ms, shown as 0, counts as 1 ms). " +
      'Targets are judged on these medians of one run of the benchmark.',
  ]
  return [
    ...header,
    ...(cells.length > 0 ? ['', table(cells, options.runs)] : []),
    ...probeTables(probes).flatMap((t) => ['', t]),
    '',
    ...definitions,
    ...(probeNotes.length > 0 ? ['', ...probeNotes] : []),
    ...(targets.length > 0 ? ['', '### Targets', '', ...targets] : []),
    ...(failed.length > 0 ? ['', '### Failures', '', ...failed] : []),
    '',
    ...howTo,
    '',
  ].join('\n')
}
