// The scale-out issue's rows of `npm run bench` (probes of bench/scenarios.ts, each selectable with
// BENCH_ONLY): `s3-upload` (bench/lib/s3-upload.ts, also `npm run bench:s3`) and `shared-limit`
// (bench/lib/shared-limit.ts, also `npm run bench:limits`).
import type { Probe } from './scenarios.js'
import { measureS3Uploads, mibPerSecond } from './lib/s3-upload.js'
import { LIMIT_ROUTES, measureSharedLimit } from './lib/shared-limit.js'

const S3_MIB = 15
const S3_MIN_RATIO = 0.95

export const s3UploadProbe: Probe = {
  name: 's3-upload',
  description:
    `${S3_MIB} MiB PDF bodies PUT through a presigned S3 URL as Credport issues it (asset_uploads[].url) beside the same upload with ` +
    "the AWS SDK's PutObject, both to a local s3rver; Credport is not on the byte path (no database either: the row runs once)",
  // Once: no database takes part.
  databases: ['postgres'],
  columns: ['presigned PUT MiB/s (median)', 'SDK PutObject MiB/s (median)', 'ratio presigned / SDK', 'uploads of each'],
  notes: (options) => [
    `S3 upload table: ${options.uploadRuns} uploads of each kind (BENCH_UPLOAD_RUNS), alternating, after one unmeasured upload of each, ` +
      `from the benchmark process to an s3rver (bench/lib/s3-server-process.ts, a process of its own, on loopback, objects on disk): ` +
      "the presigned URL from Credport's S3 blob store (signing content-type) sent with node:http, as the SDK's own handler does, so " +
      "that only the URL differs; the SDK upload through the same store's client. Timed until the 200 is read. No database takes part: " +
      'the row runs once, listed under postgres.',
  ],
  runInProcess: async (_env, _database, options) => {
    const result = await measureS3Uploads(options.uploadRuns, S3_MIB)
    const ratio = result.sdkMs / result.presignedMs
    return {
      values: [
        mibPerSecond(S3_MIB, result.presignedMs).toFixed(0),
        mibPerSecond(S3_MIB, result.sdkMs).toFixed(0),
        ratio.toFixed(2),
        String(result.runs),
      ],
      targets: [
        {
          what: 'presigned upload throughput vs the SDK',
          met: ratio >= S3_MIN_RATIO,
          value: `${ratio.toFixed(2)}×`,
          target: `≥ ${S3_MIN_RATIO.toFixed(2)}×`,
        },
      ],
    }
  },
}

export const sharedLimitProbe: Probe = {
  name: 'shared-limit',
  description:
    'what PARTNER_RATE_LIMIT costs a request: Credport with the limit off and on but never reached, on GET /api/partner/v1/me.json and ' +
    'the v2 batch (PostgreSQL: shared by every instance, one upsert per request; PGlite: in memory)',
  columns: LIMIT_ROUTES.flatMap((route) => [
    `${route}: limit off req/s`,
    `${route}: limit on req/s`,
    `${route}: ratio`,
    `${route}: p99 ms off / on`,
    `${route}: ms added per request (1/on − 1/off)`,
  ]),
  notes: (options) => [
    `Shared-limit table: two Credports on the row's database (a fresh database or data folder each), PARTNER_RATE_LIMIT=0 and ` +
      `PARTNER_RATE_LIMIT=9999999 (every request counted and let through); per route, ${options.runs} runs of ${options.durationSeconds} s ` +
      `(BENCH_RUNS, BENCH_DURATION) at ${options.connections} connections alternating between the two, medians. The added time is machine ` +
      'time per request; multiply by the connections for the latency it adds. `npm run bench:limits` measures the same on its own.',
  ],
  runInProcess: async (env, database, options) => {
    const results = await measureSharedLimit(env, database, {
      runs: options.runs,
      seconds: options.durationSeconds,
      connections: options.connections,
    })
    return {
      values: results.flatMap((r) => [
        String(Math.round(r.offRps)),
        String(Math.round(r.onRps)),
        (r.onRps / r.offRps).toFixed(2),
        `${r.offP99} / ${r.onP99}`,
        r.addedMs > 0 ? r.addedMs.toFixed(3) : 'within the noise (< 0)',
      ]),
      targets: [],
    }
  },
}
