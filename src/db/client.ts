import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PGlite } from '@electric-sql/pglite'
import {
  fillPlaceholders,
  is,
  Param,
  Placeholder,
  SQL,
  sql,
  type ExtractTablesWithRelations,
  type Query,
} from 'drizzle-orm'
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres'
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator'
import { PgDialect, PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { unstorableTextReason } from '../lib/validation.js'
import { listenPostgres, type ListenHandlers, type Listener } from './listen.js'
import * as schema from './schema.js'

export type Schema = typeof schema
/** The query interface shared by PGlite and node-postgres; repositories take it as first argument. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>
/** A database or a transaction: whatever the caller decided to run the query in. */
export type Executor = Db | PgTransaction<PgQueryResultHKT, Schema>
/** A transaction: for writes that must commit together (a change and its webhook event). */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>

export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
/** Arbitrary constant key for pg_advisory_lock: serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_362_001

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Human-readable location for the start line (never includes a password). */
  location: string
  migrate(): Promise<void>
  ping(): Promise<void>
  /**
   * PostgreSQL only: LISTENs to a channel on a connection of its own (other instances NOTIFY it).
   * PGlite has no other instance to hear from.
   */
  listen?(channel: string, handlers: ListenHandlers): Promise<Listener>
  /** PGlite only: a gzipped tarball of the data folder, to clone this database elsewhere. */
  snapshot?(): Promise<Blob>
  close(): Promise<void>
}

/** PGlite's clients this process opened (executeNamed runs its statements on them its own way). */
export const pgliteClients = new WeakSet<object>()

/**
 * Opens the embedded PGlite database in `dataDir`, or from a snapshot (pglite.ts). PGlite and its
 * drizzle driver are loaded only then: a server on PostgreSQL never loads them (1–2 MiB of heap).
 */
export async function openPglite(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  const { openPgliteDatabase } = await import('./pglite.js')
  return openPgliteDatabase(options)
}

/** Connects a pool to a PostgreSQL server. */
export async function openPostgres(url: string, poolMax = 10): Promise<Database> {
  // Migrations hold one connection for the advisory lock and need another to run: at least 2.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, poolMax), connectionTimeoutMillis: 10_000 })
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const db = drizzlePg(pool, { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    migrate: async () => {
      // Several instances may start at once against one empty database: one migrates, the others
      // wait on the lock and then find nothing left to do.
      const lockClient = await pool.connect()
      try {
        await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
        await migratePg(db as never, { migrationsFolder: MIGRATIONS_FOLDER })
      } finally {
        await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
        lockClient.release()
      }
    },
    ping: async () => void (await db.execute(sql`select 1`)),
    listen: (channel, handlers) => listenPostgres(url, channel, handlers),
    close: () => pool.end(),
  }
}

function isPglite(client: unknown): client is PGlite {
  return typeof client === 'object' && client !== null && pgliteClients.has(client)
}

const dialect = new PgDialect()
/** The text each statement name was prepared with: a name must never be reused for other SQL. */
const preparedTexts = new Map<string, string>()

/** Statements prepared (or being prepared) in each embedded database, by name. */
const preparedInPglite = new WeakMap<object, Map<string, Promise<unknown>>>()

/**
 * Runs a hot statement under a fixed name, prepared once and afterwards only executed with new
 * parameters: no parse, no plan, which for a large statement is most of its cost.
 * - PostgreSQL, outside a transaction: node-postgres prepares it once per connection.
 * - PGlite, outside a transaction: `PREPARE` once, then one `EXECUTE` with the parameters as
 *   escaped literals (PGlite's own queries cannot name a statement, and parse every text anew in
 *   six protocol round trips).
 * - In a transaction it runs unnamed (a transaction must keep to its own connection).
 * Only the parameters of `query` may vary between calls with one name: values must be scalars or
 * null (drizzle leaves out `undefined` and expands arrays, which would change the text) — a
 * different text throws rather than poisons the connection.
 * With `values`, `query` is a statement built once, its parameters `sql.placeholder(name)`s: its
 * text is then made once (per SQL object), not on every call.
 */
export async function executeNamed(
  db: Executor,
  name: string,
  query: SQL,
  values?: Record<string, unknown>,
): Promise<unknown[]> {
  const client = (db as { $client?: unknown }).$client
  if (db instanceof PgTransaction || !(client instanceof pg.Pool || isPglite(client))) {
    // Both drivers answer a raw statement with { rows }.
    const statement = values ? withValues(query, values) : query
    return ((await db.execute(statement)) as unknown as { rows: unknown[] }).rows
  }
  const built = values ? builtOnce(query) : dialect.sqlToQuery(query)
  const known = preparedTexts.get(name)
  if (known === undefined) preparedTexts.set(name, built.sql)
  else if (known !== built.sql) throw new Error(`prepared statement ${name} was called with another SQL text`)
  const params = values ? fillPlaceholders(built.params, values) : built.params
  if (client instanceof pg.Pool) return (await client.query({ name, text: built.sql, values: params })).rows

  let prepared = preparedInPglite.get(client)
  if (!prepared) {
    prepared = new Map()
    preparedInPglite.set(client, prepared)
  }
  if (!prepared.has(name)) {
    const preparing = client.exec(`prepare ${name} as ${built.sql}`)
    prepared.set(name, preparing)
    preparing.catch(() => prepared.delete(name))
  }
  await prepared.get(name)
  const results = await client.exec(`execute ${name}(${params.map(sqlLiteral).join(', ')})`)
  return results.at(-1)?.rows ?? []
}

/** The text and parameters of a statement built once (its placeholders unfilled). */
const builtStatements = new WeakMap<SQL, Query>()
function builtOnce(query: SQL): Query {
  let built = builtStatements.get(query)
  if (!built) {
    built = dialect.sqlToQuery(query)
    builtStatements.set(query, built)
  }
  return built
}

/** `query` with its placeholders replaced by parameters of `values` (for a statement run unnamed). */
function withValues(query: SQL, values: Record<string, unknown>): SQL {
  return new SQL(
    query.queryChunks.map((chunk) => {
      if (is(chunk, Placeholder)) {
        if (!(chunk.name in values)) throw new Error(`No value for placeholder "${chunk.name}" was provided`)
        return new Param(values[chunk.name])
      }
      return is(chunk, SQL) ? withValues(chunk, values) : chunk
    }),
  )
}

/**
 * A parameter as an SQL literal for PGlite's EXECUTE: text in an escape string (E'…', whose only
 * special characters, backslash and quote, are both escaped: a backslash doubled, a quote doubled
 * as `''`, which unlike `\'` is valid whatever `backslash_quote` says), which the prepared
 * statement casts to its parameter's type. Text PostgreSQL cannot store (NUL, unpaired surrogates)
 * throws; callers refuse it earlier (the input guard, with the same unstorableTextReason).
 */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'object' && !(value instanceof Date)) throw new Error('a statement parameter must be a scalar')
  const text = value instanceof Date ? value.toISOString() : String(value)
  const unstorable = unstorableTextReason(text)
  if (unstorable) throw new Error(`a statement parameter ${unstorable}`)
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://(unparseable url)'
  }
}
