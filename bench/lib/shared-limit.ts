// What the per-client request rate limit (PARTNER_RATE_LIMIT) costs a request, on one database:
// Credport twice (a fresh database each), with the limit off (PARTNER_RATE_LIMIT=0) and on but
// never reached (9999999 a minute: every request counted and let through). On PostgreSQL the limit
// is shared by every instance (src/lib/shared-window-limiter.ts: one upsert in an UNLOGGED table
// per request); on PGlite it is in memory (src/lib/window-limiter.ts). Measured on
// GET /api/partner/v1/me.json (the cheapest authenticated route, where the limit's share is
// largest) and the v2 batch; runs of the two servers alternate (autocannon); medians.
// Used by `npm run bench:limits` (bench/shared-limit.ts) and by the `shared-limit` row of
// `npm run bench` (bench/scale-probes.ts).
import { batchLoad } from './batch.js'
import { log } from './log.js'
import { measure, median, type Load } from './measure.js'
import { startCredport, type BenchEnvironment, type CredportContext, type Database } from './targets.js'

export const LIMIT_ROUTES = ['me', 'batch'] as const
export type LimitRoute = (typeof LIMIT_ROUTES)[number]

const loads: Record<LimitRoute, (ctx: CredportContext) => Load | Promise<Load>> = {
  me: (ctx) => ({ method: 'GET', path: '/api/partner/v1/me.json', headers: { authorization: `Bearer ${ctx.token}` } }),
  // A token with every scope the client holds, as the main benchmark's batch rows use.
  batch: async (ctx) => batchLoad({ authorization: `Bearer ${await ctx.accessToken()}` }),
}

export interface LimitRouteResult {
  route: LimitRoute
  offRps: number
  onRps: number
  offP99: number
  onP99: number
  /** Machine time added per request (1/on − 1/off), ms. */
  addedMs: number
}

export interface LimitOptions {
  runs: number
  seconds: number
  connections: number
}

export async function measureSharedLimit(
  env: BenchEnvironment,
  database: Database,
  options: LimitOptions,
): Promise<LimitRouteResult[]> {
  const off = await startCredport(env, database, 'limit_off')
  const on = await startCredport(env, database, 'limit_on', { PARTNER_RATE_LIMIT: '9999999' })
  try {
    const results: LimitRouteResult[] = []
    for (const route of LIMIT_ROUTES) {
      const runs = { off: [] as { rps: number; p99: number }[], on: [] as { rps: number; p99: number }[] }
      for (let run = 0; run < options.runs; run++) {
        for (const [which, ctx] of [
          ['off', off],
          ['on', on],
        ] as const) {
          const result = await measure(ctx.baseUrl, await loads[route](ctx), {
            durationSeconds: options.seconds,
            connections: options.connections,
          })
          if (result.failure) throw new Error(`${route} on ${database} (limit ${which}): ${result.failure}`)
          runs[which].push({ rps: result.reqPerSec, p99: result.p99Ms })
          log(`${route} ${database} limit ${which}: ${Math.round(result.reqPerSec)} req/s, p99 ${result.p99Ms} ms`)
        }
      }
      const offRps = median(runs.off.map((r) => r.rps))
      const onRps = median(runs.on.map((r) => r.rps))
      results.push({
        route,
        offRps,
        onRps,
        offP99: median(runs.off.map((r) => r.p99)),
        onP99: median(runs.on.map((r) => r.p99)),
        addedMs: 1000 / onRps - 1000 / offRps,
      })
    }
    return results
  } finally {
    await off.server.stop()
    await on.server.stop()
  }
}
