// The benchmark registry. To add a benchmark:
//   - a baseline server: a file in bench/baselines/ and an entry in `baselines` (its `env` hook
//     may create a PostgreSQL database, e.g. for an ajv + JSONB insert baseline; with
//     `perDatabase` it runs once per database of the scenarios that use it, on that database);
//   - a scenario: an entry in `scenarios` naming its baseline and building its request from a
//     CredportContext (base URL, admin token, partner credentials, access token). Use `requests`
//     with setupRequest for per-request bodies or headers (idempotency keys, fresh ids);
//   - a probe, for what autocannon cannot measure (e.g. long uploads): an entry in `probes` with
//     its own columns and a `run` that measures on a Credport started for it alone.
// run.ts starts only the servers the selected scenarios and probes need (BENCH_ONLY=name,name).
import { batchLoad } from './lib/batch.js'
import { holderPageLoad } from './lib/holders.js'
import type { Load } from './lib/measure.js'
import type { BenchOptions } from './lib/options.js'
import type { LoadTargets, TargetCheck } from './lib/report.js'
import {
  DATABASES,
  tokenRequestBody,
  type BenchEnvironment,
  type CredportContext,
  type Database,
} from './lib/targets.js'
import { LEAN_NODE_OPTIONS, measureStartup, STARTUP_COLUMNS, startupNotes, type RunMode } from './lib/startup.js'
import { measureUploads, UPLOAD_COLUMNS, uploadNotes } from './lib/upload.js'
import {
  ACCEPT_EVERY_MS,
  DELIVERY_COLUMNS,
  MAX_ACCEPTS,
  deliveryNotes,
  measureDelivery,
  QUEUED_EVENTS,
} from './lib/delivery.js'
import { s3UploadProbe, sharedLimitProbe } from './scale-probes.js'

export interface Baseline {
  description: string
  /** Server entry relative to the repository root, run with `node --import tsx`; gets PORT, HOST, LOG_LEVEL. */
  script: string
  /** Polled until 2xx before measuring. */
  readyPath: string
  /** The request measured on it (a function is called once per instance, e.g. to read a sample file). */
  load: Load | (() => Load)
  /**
   * Run one instance per database (its `env` hook gets the database), each compared only with the
   * scenario rows on that database; otherwise one instance for every row.
   */
  perDatabase?: boolean
  /** Extra environment, e.g. `{ DATABASE_URL: await env.createPostgresDatabase('ajv_jsonb') }`. */
  env?: (env: BenchEnvironment, database?: Database) => Promise<Record<string, string>>
  /** Concurrent connections of its runs, when not BENCH_CONNECTIONS (set it as its scenarios set theirs). */
  connections?: number
}

/** The `env` hook of a per-database baseline: a database of its own in the run's cluster, or a PGlite folder. */
function ownDatabase(name: string): NonNullable<Baseline['env']> {
  return async (env, database): Promise<Record<string, string>> =>
    database === 'postgres'
      ? { DATABASE_URL: await env.createPostgresDatabase(name.replaceAll('-', '_')) }
      : { PGLITE_DIR: `${env.dir(name)}/pglite` }
}

/** Signed-in holders of the holder-page rows (and their connections). */
const HOLDERS = 50

export const baselines = {
  hello: {
    description: 'bare Fastify, GET / → {"hello":"world"}',
    script: 'bench/baselines/hello.ts',
    readyPath: '/',
    load: { method: 'GET', path: '/' },
  },
  'ajv-jsonb': {
    description:
      'bare Fastify on the same database as the row: parses the v2 batch sample (fresh ids per request), validates it with ajv ' +
      "(allErrors, a hand-written JSON Schema of the envelope and every section's fields) and inserts it as one JSONB row; 201",
    script: 'bench/baselines/ajv-jsonb.ts',
    readyPath: '/healthz',
    load: () => batchLoad(),
    perDatabase: true,
    env: ownDatabase('ajv-jsonb'),
  },
  'ajv-rows': {
    description:
      'bare Fastify that parses and validates the batch as ajv-jsonb does, then stores it as Credport stores it: its submission, ' +
      "10 credentials and 4 assets as rows of Credport's schema, by Credport's one-statement insert (prepared on PostgreSQL; the " +
      'batches that arrive while it runs stored together, as Credport stores them); 201. ' +
      'The least a server can do that keeps the same rows',
    script: 'bench/baselines/ajv-rows.ts',
    readyPath: '/healthz',
    load: () => batchLoad(),
    perDatabase: true,
    env: ownDatabase('ajv-rows'),
  },
  'holder-pages': {
    description:
      "bare Fastify rendering Credport's own review and wallet views (Preact, sendPage, a fresh CSP nonce per page) from a " +
      'constant model: the batch sample with its 4 documents received (bench/baselines/holder-pages.tsx). No session, no database',
    script: 'bench/baselines/holder-pages.tsx',
    readyPath: '/holder/review',
    load: { method: 'GET', path: '/holder/review' },
    connections: HOLDERS,
  },
  'holder-pages-wallet': {
    description: 'the same server as holder-pages (baseline), its wallet page: the 10 credentials of the batch sample',
    script: 'bench/baselines/holder-pages.tsx',
    readyPath: '/holder/wallet',
    load: { method: 'GET', path: '/holder/wallet' },
    connections: HOLDERS,
  },
} satisfies Record<string, Baseline>

export type BaselineName = keyof typeof baselines

export interface Scenario {
  /** Short name used in the table, progress lines and BENCH_ONLY. */
  name: string
  description: string
  baseline: BaselineName
  /** Databases to run it on (default: every one). */
  databases?: readonly Database[]
  /** Targets relative to the baseline, judged in the report. */
  targets?: LoadTargets
  /** The databases its targets are judged on (default: every one); other rows are reported only. */
  targetDatabases?: readonly Database[]
  /** Concurrent connections of its runs, when not BENCH_CONNECTIONS. */
  connections?: number
  /** The request to repeat; called once per database after Credport is up. */
  load: (ctx: CredportContext) => Load | Promise<Load>
}

/** The v2 batch sample with fresh ids, held to `targets` against `baseline`. */
function batchScenario(
  name: string,
  baseline: BaselineName,
  description: string,
  targets: Pick<Scenario, 'targets' | 'targetDatabases'>,
): Scenario {
  return {
    name,
    description,
    baseline,
    ...targets,
    load: async (ctx) => batchLoad({ authorization: `Bearer ${await ctx.accessToken()}` }),
  }
}

/**
 * 50 signed-in holders (each with a wallet of 10 credentials and the batch sample open for review,
 * documents uploaded; bench/lib/holders.ts), one connection each, loading `page`.
 */
function holderPageScenario(name: string, page: string, baseline: BaselineName): Scenario {
  return {
    name,
    description:
      `GET ${page} by ${HOLDERS} signed-in holders at once (${HOLDERS} sessions, ${HOLDERS} connections, each request with the ` +
      "next holder's cookies); each holder has accepted one batch sample (10 credentials in the wallet) and has a second one, " +
      'its 4 documents uploaded, open for review. Targets (issue 19) on PostgreSQL only: p99 < 50 ms and ≥ 0.5 of the baseline; ' +
      "beside them, proposed: p99 ≤ 2× the baseline's (the baseline's own p99 at 50 connections on 2 shared cores is over 50 ms)",
    baseline,
    connections: HOLDERS,
    targets: { minThroughputRatio: 0.5, maxP99Ms: 50, maxP99Ratio: 2 },
    targetDatabases: ['postgres'],
    load: async (ctx) => holderPageLoad(page, await ctx.holders(HOLDERS)),
  }
}

export const scenarios: Scenario[] = [
  {
    name: 'token',
    description: 'POST /api/partner/v1/oauth/token.json, form-encoded client credentials',
    baseline: 'hello',
    load: (ctx) => ({
      method: 'POST',
      path: '/api/partner/v1/oauth/token.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(ctx.credentials),
    }),
  },
  {
    name: 'me',
    description: 'GET /api/partner/v1/me.json with a bearer token (the authenticated cheap route)',
    baseline: 'hello',
    load: (ctx) => ({
      method: 'GET',
      path: '/api/partner/v1/me.json',
      headers: { authorization: `Bearer ${ctx.token}` },
    }),
  },
  batchScenario(
    'batch',
    'ajv-jsonb',
    'POST /api/partner/v2/add/requests/batch.json with the public v2 batch sample (10 credentials, 4 assets awaiting upload), ' +
      'fresh batch, credential and asset ids on every request, bearer token with every scope; compared with ajv-jsonb on the same database. ' +
      'Targets (issue 19, which replaced the 0.6 of issue 3) on PostgreSQL: ≥ 0.5 of the baseline, p99 ≤ 2×; PGlite reported only',
    { targets: { minThroughputRatio: 0.5, maxP99Ratio: 2 }, targetDatabases: ['postgres'] },
  ),
  batchScenario(
    'batch-rows',
    'ajv-rows',
    'the batch request again, compared with ajv-rows: what Credport costs beyond storing the same rows. Its targets are the ' +
      "batch targets of issue 3 restated against this baseline (proposed in the note on issue 3), not the issue's own",
    { targets: { minThroughputRatio: 0.6, maxP99Ratio: 2 } },
  ),
  holderPageScenario('holder-review', '/holder/review', 'holder-pages'),
  holderPageScenario('holder-wallet', '/holder/wallet', 'holder-pages-wallet'),
]

/** What a probe's run reports: one value per column, and its targets checked. */
export interface ProbeResult {
  values: string[]
  targets: TargetCheck[]
}

export interface Probe {
  /** Short name used in its table, progress lines and BENCH_ONLY. */
  name: string
  description: string
  /** Databases to run it on (default: every one). */
  databases?: readonly Database[]
  /** Its table's columns after scenario and database. */
  columns: readonly string[]
  /** How it measures, printed under the tables. */
  notes?: (options: BenchOptions) => string[]
  /** Measures on a Credport started for it alone (after the autocannon rows); throws to fail the row. */
  run?: (ctx: CredportContext, options: BenchOptions) => Promise<ProbeResult>
  /**
   * Or measures without a Credport server: on a database of its own in the benchmark process (e.g.
   * to drive the lifecycle and the job runner directly). Each probe has `run` or `runInProcess`.
   */
  runInProcess?: (env: BenchEnvironment, database: Database, options: BenchOptions) => Promise<ProbeResult>
}

/** `npm start` timed and its memory read, running dist/ or src/ (bench/lib/startup.ts). */
function startupProbe(name: string, mode: RunMode, nodeOptions?: string): Probe {
  return {
    name,
    description:
      `\`npm start\` with CREDPORT_RUN=${mode}${nodeOptions ? ` and NODE_OPTIONS=${nodeOptions} (the README's memory-lean setting)` : ''} (${mode === 'dist' ? 'the compiled build, made first when stale' : 'the TypeScript sources through tsx'}): ` +
      "first start on an empty data folder and restart with its data (launch → listening), the server's RSS idle and at its peak, " +
      "the RSS of every process npm start runs, and the server's RSS after one holder journey",
    columns: STARTUP_COLUMNS,
    notes: startupNotes,
    runInProcess: (env, database, options) => measureStartup(env, database, mode, options, nodeOptions),
  }
}

export const probes: Probe[] = [
  startupProbe('startup', 'dist'),
  startupProbe('startup-src', 'src'),
  startupProbe('startup-lean', 'dist', LEAN_NODE_OPTIONS),
  {
    name: 'upload',
    description:
      'PUT /api/partner/v2/uploads/{assetId}?… of 15 MiB PDF bodies through the PDF links of v2 batch samples: one at a time against ' +
      "writing the same bytes to the data folder with fs, and 20 at once with the server's RSS sampled",
    columns: UPLOAD_COLUMNS,
    notes: (options) => uploadNotes(options.uploadRuns),
    run: (ctx, options) =>
      measureUploads(ctx, { sequentialRuns: options.uploadRuns, targets: { minSpeedRatio: 0.7, maxRssGrowthMiB: 64 } }),
  },
  {
    name: 'delivery',
    description:
      `webhook delivery: ${QUEUED_EVENTS} events queued by the lifecycle, delivered by the deliver-webhooks job on the real runner to a ` +
      `node:http receiver on loopback (events/s), while the holder accepts a submission every ${ACCEPT_EVERY_MS} ms (accept → receiver's 2xx, at most ${MAX_ACCEPTS}); ` +
      'against the same receiver fed the same number of signed POSTs by a plain loop',
    columns: DELIVERY_COLUMNS,
    notes: (options) => deliveryNotes(options.deliveryRuns),
    runInProcess: async (env, database, options) => ({
      ...(await measureDelivery(env, database, options.deliveryRuns)),
      targets: [],
    }),
  },
  s3UploadProbe,
  sharedLimitProbe,
]

export function databasesOf(scenario: Scenario | Probe): readonly Database[] {
  return scenario.databases ?? DATABASES
}
