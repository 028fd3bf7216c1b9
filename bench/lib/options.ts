import path from 'node:path'
import { ROOT } from './processes.js'

export interface BenchOptions {
  /** Seconds per measured run (BENCH_DURATION, default 5). */
  durationSeconds: number
  /** Concurrent connections (BENCH_CONNECTIONS, default 10). */
  connections: number
  /** Measured runs per scenario; the median is reported (BENCH_RUNS, default 3). */
  runs: number
  /** Seconds of unmeasured warm-up per scenario before the first run (BENCH_WARMUP, default 1; 0 = none). */
  warmupSeconds: number
  /** Timed sequential uploads per database in the upload scenario; the median is reported (BENCH_UPLOAD_RUNS, default 7). */
  uploadRuns: number
  /** Runs of the delivery probe per database (BENCH_DELIVERY_RUNS, default 1: each queues 1,000 events first). */
  deliveryRuns: number
  /** Runs of the start-up probe per database and mode; the median is reported (BENCH_STARTUP_RUNS, default 5). */
  startupRuns: number
  /** Seconds the server is left idle after its first start before its RSS is read (BENCH_STARTUP_IDLE, default 5). */
  startupIdleSeconds: number
  /** Scenario names to run (BENCH_ONLY=token,me; default all). */
  only: string[] | undefined
  /** Markdown report (BENCH_OUTPUT, default bench/results.md; with BENCH_ONLY bench/results-partial.md, not kept in git). */
  output: string
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, problems: string[]): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`)
    return fallback
  }
  return value
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const problems: string[] = []
  const options: BenchOptions = {
    durationSeconds: integer(env, 'BENCH_DURATION', 5, 1, problems),
    connections: integer(env, 'BENCH_CONNECTIONS', 10, 1, problems),
    runs: integer(env, 'BENCH_RUNS', 3, 1, problems),
    warmupSeconds: integer(env, 'BENCH_WARMUP', 1, 0, problems),
    uploadRuns: integer(env, 'BENCH_UPLOAD_RUNS', 7, 1, problems),
    deliveryRuns: integer(env, 'BENCH_DELIVERY_RUNS', 1, 1, problems),
    startupRuns: integer(env, 'BENCH_STARTUP_RUNS', 5, 1, problems),
    startupIdleSeconds: integer(env, 'BENCH_STARTUP_IDLE', 5, 0, problems),
    only: env.BENCH_ONLY?.trim()
      ? env.BENCH_ONLY.split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    // A run of some scenarios only must not replace the full results: it goes beside them.
    output: path.resolve(
      ROOT,
      env.BENCH_OUTPUT?.trim() || (env.BENCH_ONLY?.trim() ? 'bench/results-partial.md' : 'bench/results.md'),
    ),
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return options
}
