// The servers a benchmark runs against: Credport on each database, and baseline servers.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { track } from './cleanup.js'
import { log } from './log.js'
import { startPostgres, type PostgresHandle } from './postgres.js'
import { CREDPORT_SERVER, startServer, type ServerHandle } from './processes.js'
import { makeHolders, type Holder } from './holders.js'
import { DEMO_CLIENT_FILE } from '../../src/modules/admin/demo-partner.js'
import { ALL_SCOPES } from '../../src/modules/oauth/scopes.js'

export type Database = 'pglite' | 'postgres'
export const DATABASES: readonly Database[] = ['pglite', 'postgres']

/**
 * Scopes of the tokens of the token and me scenarios (`ctx.token`). The partner client itself holds
 * every scope on both databases alike (the PGlite demo partner does; the PostgreSQL one is created
 * so), so that a batch naming every credential type can be sent with `ctx.accessToken()`.
 */
export const BENCH_SCOPES = ['write.education', 'read.submissions'] as const

export interface ClientCredentials {
  client_id: string
  client_secret: string
}

/** What a scenario gets to build its requests. */
export interface CredportContext {
  database: Database
  baseUrl: string
  /** Bearer token for /api/admin/* (set through ADMIN_TOKEN). */
  adminToken: string
  credentials: ClientCredentials
  /** An access token for `credentials`, carrying BENCH_SCOPES. */
  token: string
  /** A new access token carrying `scopes`, or every scope of the client when omitted. */
  accessToken(scopes?: readonly string[]): Promise<string>
  /** The server's DATA_DIR (its blobs are written under it). */
  dataDir: string
  server: ServerHandle
  /** `count` signed-in holders (bench/lib/holders.ts), made on the first call and kept for later ones. */
  holders(count: number): Promise<Holder[]>
}

/** Shared by every server of one benchmark run: a temp folder and, on demand, one PostgreSQL cluster. */
export class BenchEnvironment {
  readonly tmpRoot: string
  private postgres: Promise<PostgresHandle> | undefined

  constructor() {
    this.tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'credport-bench-'))
    track({
      name: `temp folder ${this.tmpRoot}`,
      stop: async () => rmSync(this.tmpRoot, { recursive: true, force: true, maxRetries: 3 }),
      kill: () => rmSync(this.tmpRoot, { recursive: true, force: true, maxRetries: 3 }),
    })
  }

  /** A fresh folder under the run's temp folder. */
  dir(name: string): string {
    const dir = path.join(this.tmpRoot, name)
    mkdirSync(dir, { recursive: true })
    return dir
  }

  /** The run's PostgreSQL cluster, started on first use. */
  postgresCluster(): Promise<PostgresHandle> {
    this.postgres ??= (async () => {
      const started = Date.now()
      log('starting a private PostgreSQL cluster…')
      const handle = await startPostgres()
      log(`PostgreSQL ${handle.version} ready (${((Date.now() - started) / 1000).toFixed(1)} s)`)
      return handle
    })()
    return this.postgres
  }

  /** The cluster's major version, if one was started and is up. */
  async postgresVersion(): Promise<string | undefined> {
    if (!this.postgres) return undefined
    try {
      return (await this.postgres).version
    } catch {
      return undefined
    }
  }

  /** Creates an empty database in the run's cluster and returns its URL. */
  async createPostgresDatabase(name: string): Promise<string> {
    return (await this.postgresCluster()).createDatabase(name)
  }
}

async function postJson(url: string, init: { headers?: Record<string, string>; body: string }): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(30_000),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as unknown
}

function pickStrings<K extends string>(value: unknown, keys: readonly K[], what: string): Record<K, string> {
  const record = value as Record<string, unknown> | null
  const picked = {} as Record<K, string>
  for (const key of keys) {
    const v = record?.[key]
    if (typeof v !== 'string' || v === '')
      throw new Error(`${what}: no ${key} in ${JSON.stringify(value).slice(0, 200)}`)
    picked[key] = v
  }
  return picked
}

/**
 * The demo partner's credentials, which the first start on PGlite writes to DATA_DIR/demo-client.txt
 * when its standard output is no terminal, as here (see src/modules/admin/demo-partner.ts).
 */
function demoPartnerFromFile(dataDir: string): ClientCredentials {
  const text = readFileSync(path.join(dataDir, DEMO_CLIENT_FILE), 'utf8')
  const clientId = /client_id:\s+(\S+)/.exec(text)?.[1]
  const clientSecret = /client_secret:\s+(\S+)/.exec(text)?.[1]
  if (!clientId || !clientSecret) throw new Error(`no demo client in ${DEMO_CLIENT_FILE}`)
  return { client_id: clientId, client_secret: clientSecret }
}

/** Registers a partner through the admin API (PostgreSQL has no demo partner). */
async function createPartner(baseUrl: string, adminToken: string): Promise<ClientCredentials> {
  const created = await postJson(`${baseUrl}/api/admin/partners`, {
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench', display_name: 'Bench University', scopes: ALL_SCOPES }),
  })
  return pickStrings(created, ['client_id', 'client_secret'], 'POST /api/admin/partners')
}

/** Form body of a client-credentials token request, as a partner sends it (scope omitted = all of the client's). */
export function tokenRequestBody(
  credentials: ClientCredentials,
  scopes: readonly string[] | null = BENCH_SCOPES,
): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.client_id,
    client_secret: credentials.client_secret,
    ...(scopes ? { scope: scopes.join(' ') } : {}),
  }).toString()
}

async function accessToken(
  baseUrl: string,
  credentials: ClientCredentials,
  scopes: readonly string[] | null = BENCH_SCOPES,
): Promise<string> {
  const body = await postJson(`${baseUrl}/api/partner/v1/oauth/token.json`, {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(credentials, scopes),
  })
  return pickStrings(body, ['access_token'], 'POST /api/partner/v1/oauth/token.json').access_token
}

/**
 * Starts Credport on a database (fresh DATA_DIR; a fresh PostgreSQL database) with a partner client
 * and a token. `instance` names a second, separate server on the same database kind (e.g. 'upload').
 */
export async function startCredport(
  env: BenchEnvironment,
  database: Database,
  instance?: string,
  /** Environment beside the defaults (e.g. PARTNER_RATE_LIMIT, off by default). */
  environment: Record<string, string> = {},
): Promise<CredportContext> {
  if (instance !== undefined && !/^[a-z][a-z0-9_]*$/.test(instance))
    throw new Error(`bad Credport instance name ${JSON.stringify(instance)}`)
  const suffix = instance ? `-${instance}` : ''
  const what = `${database}${instance ? `, ${instance}` : ''}`
  const started = Date.now()
  const adminToken = randomBytes(24).toString('hex')
  const extra: Record<string, string> = {}
  if (database === 'postgres')
    extra.DATABASE_URL = await env.createPostgresDatabase(`credport_bench${instance ? `_${instance}` : ''}`)
  log(`starting Credport on ${what}…`)
  const dataDir = env.dir(`credport-${database}${suffix}`)
  const server = await startServer({
    name: `credport (${what})`,
    script: CREDPORT_SERVER,
    // The request rate limit off: the benchmark is one client sending as fast as it can. X-Forwarded-For
    // trusted from loopback: the holders it signs in each name an address of their own (holders.ts).
    env: {
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: adminToken,
      PARTNER_RATE_LIMIT: '0',
      TRUST_PROXY: '127.0.0.1',
      ...extra,
      ...environment,
    },
    readyPath: '/readyz',
  })
  const credentials = database === 'pglite' ? demoPartnerFromFile(dataDir) : await createPartner(server.url, adminToken)
  const token = await accessToken(server.url, credentials)
  log(`Credport on ${what} ready at ${server.url} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  const ctx: CredportContext = {
    database,
    baseUrl: server.url,
    adminToken,
    credentials,
    token,
    accessToken: (scopes) => accessToken(server.url, credentials, scopes ?? null),
    dataDir,
    server,
    holders: (count) => {
      holders ??= (async () => {
        const started = Date.now()
        log(`signing in ${count} holders on ${what} (2 batch samples each, documents uploaded)…`)
        const made = await makeHolders({ baseUrl: server.url, dataDir, accessToken: () => ctx.accessToken() }, count)
        log(
          `${count} holders on ${what} ready (${((Date.now() - started) / 1000).toFixed(1)} s; ` +
            `review page ${made[0]?.reviewBytes} bytes, wallet ${made[0]?.walletBytes} bytes)`,
        )
        return made
      })()
      return holders.then((all) => {
        if (all.length < count) throw new Error(`asked for ${count} holders after ${all.length} were made`)
        return all.slice(0, count)
      })
    },
  }
  let holders: Promise<Holder[]> | undefined
  return ctx
}
