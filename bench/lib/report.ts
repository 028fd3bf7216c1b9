// The markdown report: header, table, how to read it.
import os from 'node:os'
import { median, type RunResult } from './measure.js'
import type { BenchOptions } from './options.js'

/** One row of the table: a scenario on one database, or a baseline. */
export interface Cell {
  scenario: string
  /** 'pglite' | 'postgres', or '—' for a baseline. */
  database: string
  description: string
  /** The baseline cell this one is divided by (undefined for a baseline itself). */
  baseline?: Cell
  /** Why it has no result: the server did not start, the pre-flight request or a run failed. */
  failure?: string
  runs: RunResult[]
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

/** One line per failed row: what went wrong. */
export function failures(cells: Cell[]): string[] {
  return cells.filter((c) => !summarize(c)).map((c) => `- ${c.scenario}${c.database === '—' ? '' : ` on ${c.database}`}: ${(c.failure ?? 'no result').replace(/\s+/g, ' ').slice(0, 600)}`)
}

export function table(cells: Cell[], runs: number): string {
  const lines = [
    `| scenario | database | req/s (median of ${runs}) | p99 ms (median) | baseline req/s | ratio to baseline |`,
    '|---|---|---:|---:|---:|---:|',
  ]
  for (const cell of cells) {
    const own = summarize(cell)
    const base = cell.baseline ? summarize(cell.baseline) : own
    const baseText = base ? round(base.reqPerSec) : cell.baseline?.failure ? 'failed' : 'n/a'
    if (!own) {
      lines.push(`| ${cell.scenario} | ${cell.database} | **FAILED** (see failures) | — | ${baseText} | — |`)
      continue
    }
    const ratio = base ? (own.reqPerSec / base.reqPerSec).toFixed(2) : 'n/a'
    lines.push(`| ${cell.scenario} | ${cell.database} | ${round(own.reqPerSec)} | ${round(own.p99Ms)} | ${baseText} | ${ratio} |`)
  }
  return lines.join('\n')
}

export interface ReportContext {
  options: BenchOptions
  startedAt: Date
  postgresVersion?: string
  commit?: string
}

export function markdown(cells: Cell[], context: ReportContext): string {
  const { options } = context
  const cpus = os.cpus()
  const models = [...new Set(cpus.map((c) => c.model.trim()))].join(', ') || 'unknown'
  const header = [
    '# Credport benchmark results',
    '',
    `- Date: ${context.startedAt.toISOString()}${context.commit ? ` (commit ${context.commit})` : ''}`,
    `- Node ${process.version} on ${os.platform()} ${os.arch()}; ${cpus.length} CPU${cpus.length === 1 ? '' : 's'}: ${models}`,
    `- autocannon: ${options.durationSeconds} s per run, ${plural(options.connections, 'connection')}, ${plural(options.runs, 'run')} per row (interleaved), ${options.warmupSeconds} s warm-up per row`,
    `- Databases: PGlite (embedded, default) and PostgreSQL ${context.postgresVersion ?? '(not started)'} (private local cluster, fsync off)`,
  ]
  const definitions = [...new Map(cells.map((c) => [c.scenario, `- **${c.scenario}**: ${c.description}`])).values()]
  const failed = failures(cells)
  const howTo = [
    '## How to read this',
    '',
    'Each row is one route measured with autocannon from the same machine, on loopback; req/s and p99 are the medians ' +
      `of ${plural(options.runs, 'run')}, and the runs of every row are interleaved so that a noisy moment hits all rows alike. ` +
      'The machines are small (2 cores shared by the load generator, the server and the database) and noisy, so the ' +
      'absolute numbers move from run to run: compare the **ratio to baseline**, the throughput of the route divided by ' +
      'that of a bare Fastify hello-world served by the same Node in the same run. A ratio of 0.5 means the route does ' +
      'about as much work per request as the framework itself; PGlite rows also show that the embedded database runs in ' +
      'the server process (one connection), while PostgreSQL rows pay a network round trip but use another process. ' +
      'A row whose responses were not all 2xx (or had connection errors) is reported as FAILED, never as a speed.',
  ]
  return [
    ...header,
    '',
    table(cells, options.runs),
    '',
    ...definitions,
    ...(failed.length > 0 ? ['', '### Failures', '', ...failed] : []),
    '',
    ...howTo,
    '',
  ].join('\n')
}
