// measure(): one autocannon run against one server, with every response status checked.
import autocannon from 'autocannon'
import type { CpuPerRequest } from './cpu.js'

/** What to send: the request autocannon repeats (or a sequence of `requests`, e.g. with setupRequest). */
export interface Load {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  headers?: Record<string, string>
  body?: string | Buffer
  /** Optional autocannon request sequence; `method/path/headers/body` above still drive the pre-flight check. */
  requests?: autocannon.Request[]
}

export interface MeasureOptions {
  durationSeconds: number
  connections: number
}

export interface RunResult {
  reqPerSec: number
  p99Ms: number
  total: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  /** CPU per request during the run, where the row's processes are known. */
  cpu?: CpuPerRequest
  /** Set when any response was not 2xx, or a connection failed: the run does not count as a result. */
  failure?: string
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Sends the load's request once; returns null when it answers 2xx, else what went wrong. */
export async function preflight(baseUrl: string, load: Load): Promise<string | null> {
  try {
    const response = await fetch(baseUrl + load.path, {
      method: load.method,
      headers: load.headers,
      body: typeof load.body === 'string' || load.body === undefined ? load.body : new Uint8Array(load.body),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await response.text()
    if (response.ok) return null
    return `${load.method} ${load.path} answered ${response.status}: ${text.slice(0, 300)}`
  } catch (error) {
    return `${load.method} ${load.path} failed: ${error instanceof Error ? error.message : String(error)}`
  }
}

/** One autocannon run. Never throws for bad statuses: they are reported in `failure`. */
export async function measure(baseUrl: string, load: Load, options: MeasureOptions): Promise<RunResult> {
  const result = await autocannon({
    url: baseUrl + load.path,
    method: load.method,
    headers: load.headers,
    body: load.body,
    requests: load.requests,
    connections: options.connections,
    duration: options.durationSeconds,
  })
  const statusCodes: Record<string, number> = {}
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0
  const ok = result['2xx']
  const total = ok + result.non2xx
  const problems: string[] = []
  if (result.non2xx > 0) {
    const bad = Object.entries(statusCodes).filter(([code]) => !code.startsWith('2'))
    problems.push(
      `${result.non2xx} of ${total} responses not 2xx (${bad.map(([code, n]) => `${code}×${n}`).join(', ')})`,
    )
  }
  if (result.errors > 0) problems.push(`${result.errors} connection errors (${result.timeouts} timeouts)`)
  if (ok === 0 && problems.length === 0) problems.push('no response at all')
  return {
    reqPerSec: result.requests.average,
    p99Ms: result.latency.p99,
    total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    failure: problems.length > 0 ? problems.join('; ') : undefined,
  }
}
