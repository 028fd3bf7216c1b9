import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { sql, type SQL } from 'drizzle-orm'
import { loadConfig } from '../../src/config.js'
import { openPostgres, type Db } from '../../src/db/client.js'
import { createDeps } from '../../src/deps.js'
import { emptyPostgresDatabase } from '../support/databases.js'

async function firstRow<T>(db: Db, query: SQL): Promise<T> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows[0]!
}

describe('migrations on PostgreSQL', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL (run npm test)' }, () => {
  it('two instances starting at the same moment on an empty database migrate once and share one signing key', async () => {
    const url = await emptyPostgresDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-mig-'))
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir })
    const [a, b] = await Promise.all([createDeps(config), createDeps(config)])
    try {
      const journal = JSON.parse(fs.readFileSync(new URL('../../src/db/migrations/meta/_journal.json', import.meta.url), 'utf8'))
      const applied = await firstRow<{ n: number }>(a.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
      assert.equal(applied.n, journal.entries.length)
      await a.database.ping()
      await b.database.ping()
      // Both instances sign with the same generated key, so tokens from one verify on the other.
      const token = await a.tokens.sign({ clientId: 'c', scopes: ['read.submissions'] })
      assert.deepEqual(await b.tokens.verify(token.token), { clientId: 'c', scopes: ['read.submissions'] })
    } finally {
      await a.close()
      await b.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('a restart finds nothing left to migrate', async () => {
    const url = await emptyPostgresDatabase()
    const first = await openPostgres(url)
    await first.migrate()
    await first.close()
    const second = await openPostgres(url)
    await second.migrate()
    const tables = await firstRow<{ n: number }>(second.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`)
    assert.ok(tables.n >= 3)
    await second.close()
  })
})
