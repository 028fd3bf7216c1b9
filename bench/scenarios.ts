// The benchmark registry. To add a benchmark:
//   - a baseline server: a file in bench/baselines/ and an entry in `baselines` (its `env` hook
//     may create a PostgreSQL database, e.g. for an ajv + JSONB insert baseline);
//   - a scenario: an entry in `scenarios` naming its baseline and building its request from a
//     CredportContext (base URL, admin token, partner credentials, access token). Use `requests`
//     with setupRequest for per-request bodies or headers (idempotency keys, uploads).
// run.ts starts only the servers the selected scenarios need (BENCH_ONLY=name,name).
import type { Load } from './lib/measure.js'
import { DATABASES, tokenRequestBody, type BenchEnvironment, type CredportContext, type Database } from './lib/targets.js'

export interface Baseline {
  description: string
  /** Server entry relative to the repository root, run with `node --import tsx`; gets PORT, HOST, LOG_LEVEL. */
  script: string
  /** Polled until 2xx before measuring. */
  readyPath: string
  /** The request measured on it. */
  load: Load
  /** Extra environment, e.g. `{ DATABASE_URL: await env.createPostgresDatabase('ajv_jsonb') }`. */
  env?: (env: BenchEnvironment) => Promise<Record<string, string>>
}

export const baselines = {
  hello: {
    description: 'bare Fastify, GET / → {"hello":"world"}',
    script: 'bench/baselines/hello.ts',
    readyPath: '/',
    load: { method: 'GET', path: '/' },
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
  /** The request to repeat; called once per database after Credport is up. */
  load: (ctx: CredportContext) => Load | Promise<Load>
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
]

export function databasesOf(scenario: Scenario): readonly Database[] {
  return scenario.databases ?? DATABASES
}
