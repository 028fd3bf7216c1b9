import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { openPglite, openPostgres, type Database } from '../../src/db/client.js'

export type Backend = 'pglite' | 'postgres'
export const PG_TEMPLATE_DB = 'credport_template'

export function pgliteSnapshotPath(tmp: string): string {
  return path.join(tmp, 'pglite-migrated.tar.gz')
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}

/** The backends this run tests on: PGlite always, PostgreSQL when the test command provided one. */
export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite']
}

/** A fresh, migrated database of its own for one test file (or one test). */
export async function freshDatabase(backend: Backend): Promise<Database & { url?: string }> {
  if (backend === 'pglite') {
    const snapshot = process.env.TEST_TMP_DIR ? pgliteSnapshotPath(process.env.TEST_TMP_DIR) : undefined
    if (snapshot && fs.existsSync(snapshot)) {
      return openPglite({ loadDataDir: new Blob([fs.readFileSync(snapshot)]) })
    }
    const db = await openPglite({})
    await db.migrate()
    return db
  }
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`')
  const name = `t_${randomBytes(6).toString('hex')}`
  const admin = await openPostgres(base, 1)
  try {
    await admin.db.execute(sql.raw(`create database ${name} template ${PG_TEMPLATE_DB}`))
  } finally {
    await admin.close()
  }
  const url = withDatabaseName(base, name)
  const database = await openPostgres(url, 10)
  return { ...database, url }
}

/** Creates an empty (not migrated) PostgreSQL database, for tests of migration itself. */
export async function emptyPostgresDatabase(): Promise<string> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set')
  const name = `e_${randomBytes(6).toString('hex')}`
  const admin = await openPostgres(base, 1)
  try {
    await admin.db.execute(sql.raw(`create database ${name}`))
  } finally {
    await admin.close()
  }
  return withDatabaseName(base, name)
}
