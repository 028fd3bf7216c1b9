// The embedded database: PGlite in a data folder (or in memory, or from a snapshot). Loaded by
// client.ts's openPglite only when the embedded default is used.
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { PGlite } from '@electric-sql/pglite'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { MIGRATIONS_FOLDER, pgliteClients, type Database, type Db } from './client.js'
import { holdsNoDatabase, migrateInChildProcess } from './pglite-first-start.js'
import * as schema from './schema.js'

/**
 * V8 compiles PGlite's WebAssembly lazily with its baseline compiler and recompiles a function with
 * the optimising one once it has run for a budget (1.8 M by default). PostgreSQL's start-up runs
 * enough of its code to spend that budget on hundreds of functions it will seldom run again: the
 * optimising compiler then took a third of PGlite's start-up CPU (0.50 → 0.33 s) and ~30 MiB of RSS
 * it keeps. With a budget 100 times larger, only the code that queries keep running is optimised
 * (the CPU of repeated queries measured the same). A V8 flag, so for all WebAssembly of the process
 * (PGlite's is the only one); set once, before the first PGlite module is compiled; a budget
 * already given on the command line is left alone.
 */
const WASM_TIERING = '--wasm-tiering-budget=180000000'
let wasmTieringSet = false
function setWasmTiering(): void {
  if (wasmTieringSet) return
  wasmTieringSet = true
  if (!process.execArgv.some((flag) => flag.startsWith('--wasm-tiering-budget'))) v8.setFlagsFromString(WASM_TIERING)
}

/** PGlite's defaults plus a smaller buffer pool: the embedded database stays lean. */
function pgliteStartParams(): string[] {
  const defaults = (PGlite as unknown as { defaultStartParams?: string[] }).defaultStartParams ?? []
  return [...defaults, '-c', 'shared_buffers=16MB']
}

/**
 * Opens the embedded PGlite database in `dataDir`, or from a snapshot. A data folder without a
 * database yet is first made ready apart, in a short-lived process (pglite-create.ts): unpacked
 * from the template of PGlite's initdb (pglite-template.ts; without one for the installed PGlite,
 * PGlite's initdb runs instead) and migrated. This process then opens it as on a restart and keeps
 * none of the memory the creation grew; its migrate() finds nothing to do.
 */
export async function openPgliteDatabase(options: { dataDir?: string; loadDataDir?: Blob }): Promise<Database> {
  if (options.dataDir) fs.mkdirSync(path.dirname(options.dataDir), { recursive: true })
  if (options.dataDir && !options.loadDataDir && holdsNoDatabase(options.dataDir)) {
    await migrateInChildProcess(options.dataDir, MIGRATIONS_FOLDER, pgliteStartParams(), [WASM_TIERING])
  }
  setWasmTiering()
  const client = new PGlite({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    startParams: pgliteStartParams(),
  })
  await client.waitReady
  pgliteClients.add(client)
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    location: options.dataDir ?? 'memory',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: async () => void (await client.query('select 1')),
    snapshot: () => client.dumpDataDir('gzip'),
    close: () => client.close(),
  }
}
