// `npm run bench:limits`: what the per-client request rate limit (PARTNER_RATE_LIMIT) costs a
// request, on each database (bench/lib/shared-limit.ts; the same measurement is the `shared-limit`
// row of `npm run bench`). Options (environment): BENCH_RUNS (default 5), BENCH_SECONDS (5),
// BENCH_DATABASES (postgres,pglite).
import { installSignalHandlers, stopAll } from './lib/cleanup.js'
import { measureSharedLimit } from './lib/shared-limit.js'
import { BenchEnvironment, type Database } from './lib/targets.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 10
const DATABASES = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',') as Database[]

async function main(): Promise<void> {
  installSignalHandlers()
  const env = new BenchEnvironment()
  const lines: string[] = [
    '| route | database | limit off req/s | limit on req/s | ratio | limit off p99 ms | limit on p99 ms | added ms/request (1/on − 1/off, × connections) |',
    '| ----- | -------- | --------------: | -------------: | ----: | ---------------: | --------------: | ---------------------------------------------: |',
  ]
  try {
    for (const database of DATABASES) {
      const results = await measureSharedLimit(env, database, {
        runs: RUNS,
        seconds: SECONDS,
        connections: CONNECTIONS,
      })
      for (const r of results) {
        lines.push(
          `| ${r.route} | ${database} | ${Math.round(r.offRps)} | ${Math.round(r.onRps)} | ${(r.onRps / r.offRps).toFixed(2)} | ${r.offP99} | ${r.onP99} | ${(r.addedMs * CONNECTIONS).toFixed(2)} |`,
        )
      }
    }
  } finally {
    await stopAll()
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
