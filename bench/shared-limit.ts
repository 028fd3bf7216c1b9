// `npm run bench:limits`: what the per-client request rate limit (PARTNER_RATE_LIMIT) costs a
// request. On each database, Credport runs twice (one instance at a time, a fresh database each):
// with the limit off (PARTNER_RATE_LIMIT=0) and with it on but never reached (9999999 a minute),
// so that every request is counted and let through. On PostgreSQL the limit is shared by every
// instance (src/lib/shared-window-limiter.ts: one upsert in an UNLOGGED table per request); on
// PGlite it is in memory (src/lib/window-limiter.ts). Measured on GET /api/partner/v1/me.json (the
// cheapest authenticated route, where the limit's share is largest) and the v2 batch. Runs of the
// two servers alternate (autocannon, 10 connections); medians are reported.
import { batchLoad } from './lib/batch.js'
import { installSignalHandlers, stopAll } from './lib/cleanup.js'
import { log } from './lib/log.js'
import { measure, median, type Load } from './lib/measure.js'
import { BenchEnvironment, startCredport, type CredportContext, type Database } from './lib/targets.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNECTIONS = 10
const DATABASES = (process.env.BENCH_DATABASES ?? 'postgres,pglite').split(',') as Database[]

const loads: Record<string, (ctx: CredportContext) => Load | Promise<Load>> = {
  me: (ctx) => ({ method: 'GET', path: '/api/partner/v1/me.json', headers: { authorization: `Bearer ${ctx.token}` } }),
  // A token with every scope the client holds, as the main benchmark's batch rows use.
  batch: async (ctx) => batchLoad({ authorization: `Bearer ${await ctx.accessToken()}` }),
}

async function main(): Promise<void> {
  installSignalHandlers()
  const env = new BenchEnvironment()
  const lines: string[] = [
    '| route | database | limit off req/s | limit on req/s | ratio | limit off p99 ms | limit on p99 ms | added ms/request (1/on − 1/off, × connections) |',
    '| ----- | -------- | --------------: | -------------: | ----: | ---------------: | --------------: | ---------------------------------------------: |',
  ]
  try {
    for (const database of DATABASES) {
      const off = await startCredport(env, database, 'limit_off')
      const on = await startCredport(env, database, 'limit_on', { PARTNER_RATE_LIMIT: '9999999' })
      for (const [route, load] of Object.entries(loads)) {
        const results = { off: [] as { rps: number; p99: number }[], on: [] as { rps: number; p99: number }[] }
        for (let run = 0; run < RUNS; run++) {
          for (const [which, ctx] of [
            ['off', off],
            ['on', on],
          ] as const) {
            const result = await measure(ctx.baseUrl, await load(ctx), {
              durationSeconds: SECONDS,
              connections: CONNECTIONS,
            })
            if (result.failure) throw new Error(`${route} on ${database} (limit ${which}): ${result.failure}`)
            results[which].push({ rps: result.reqPerSec, p99: result.p99Ms })
            log(`${route} ${database} limit ${which}: ${Math.round(result.reqPerSec)} req/s, p99 ${result.p99Ms} ms`)
          }
        }
        const offRps = median(results.off.map((r) => r.rps))
        const onRps = median(results.on.map((r) => r.rps))
        const addedMs = (CONNECTIONS * 1000) / onRps - (CONNECTIONS * 1000) / offRps
        lines.push(
          `| ${route} | ${database} | ${Math.round(offRps)} | ${Math.round(onRps)} | ${(onRps / offRps).toFixed(2)} | ${median(results.off.map((r) => r.p99))} | ${median(results.on.map((r) => r.p99))} | ${addedMs.toFixed(2)} |`,
        )
      }
      await off.server.stop()
      await on.server.stop()
    }
  } finally {
    await stopAll()
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

await main()
