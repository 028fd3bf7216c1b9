import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, it } from 'node:test'
import { sql, type SQL } from 'drizzle-orm'
import { loadConfig } from '../../src/config.js'
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { openPglite, openPostgres, type Db } from '../../src/db/client.js'
import { createDeps } from '../../src/deps.js'
import { findIssuerProfile } from '../../src/modules/admin/issuer-profile.js'
import { findLogo } from '../../src/modules/admin/partners.repo.js'
import { emptyPostgresDatabase } from '../support/databases.js'

async function firstRow<T>(db: Db, query: SQL): Promise<T> {
  const result = (await db.execute(query)) as unknown as { rows: T[] }
  return result.rows[0]!
}

describe('migrations on PostgreSQL', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL (run npm test)',
}, () => {
  it('two instances starting at the same moment on an empty database migrate once and share one signing key', async () => {
    const url = await emptyPostgresDatabase()
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-mig-'))
    const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir })
    const [a, b] = await Promise.all([createDeps(config), createDeps(config)])
    try {
      const journal = JSON.parse(
        fs.readFileSync(new URL('../../src/db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
      )
      const applied = await firstRow<{ n: number }>(
        a.db,
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )
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
    const tables = await firstRow<{ n: number }>(
      second.db,
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'`,
    )
    assert.ok(tables.n >= 3)
    await second.close()
  })
})

/** A database of each kind, migrated up to and including migration `lastIdx` only (the schema of an earlier release). */
const earlierDatabases: Array<{
  name: string
  skip: string | false
  open(lastIdx: number): Promise<{ database: Awaited<ReturnType<typeof openPglite>>; dispose(): void }>
}> = [
  {
    name: 'PGlite',
    skip: false,
    open: (lastIdx) =>
      openMigratedUpTo(
        lastIdx,
        () => openPglite({}),
        (db, folder) => migratePglite(db as never, { migrationsFolder: folder }),
      ),
  },
  {
    name: 'PostgreSQL',
    skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL (run npm test)',
    open: async (lastIdx) =>
      openMigratedUpTo(
        lastIdx,
        async () => openPostgres(await emptyPostgresDatabase()),
        (db, folder) => migratePostgres(db as never, { migrationsFolder: folder }),
      ),
  },
]

/** Opens a database and applies the committed migrations up to `lastIdx`, copied to a folder of their own. */
async function openMigratedUpTo<D extends { close(): Promise<void>; db: Db }>(
  lastIdx: number,
  open: () => Promise<D>,
  migrate: (db: Db, folder: string) => Promise<void>,
) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `credport-mig-${lastIdx}-`))
  const source = new URL('../../src/db/migrations/', import.meta.url)
  const journal = JSON.parse(fs.readFileSync(new URL('meta/_journal.json', source), 'utf8')) as {
    entries: Array<{ idx: number; tag: string }>
  }
  const entries = journal.entries.filter((entry) => entry.idx <= lastIdx)
  fs.mkdirSync(path.join(folder, 'meta'))
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }))
  for (const entry of entries)
    fs.copyFileSync(new URL(`${entry.tag}.sql`, source), path.join(folder, `${entry.tag}.sql`))
  const database = await open()
  await migrate(database.db, folder)
  return { database, dispose: () => fs.rmSync(folder, { recursive: true, force: true }) }
}

for (const backend of earlierDatabases) {
  describe(`migrations 0007 and 0008 (items carry their partner), ${backend.name}`, { skip: backend.skip }, () => {
    it('give the items already stored, and those the previous release still inserts during a rolling upgrade, the partner of their submission', async () => {
      // The schema of the release before 0007, the data of that time, then the rest.
      const { database, dispose } = await backend.open(6)
      const insertItem = (submission: string, itemId: string) =>
        database.db.execute(
          sql`insert into submission_items (id, submission_id, position, partner_item_id, credential_type) values (gen_random_uuid(), ${submission}::uuid, 0, ${itemId}, 'education')`,
        )
      try {
        await database.db.execute(
          sql`insert into partners (id, name) values ('00000000-0000-4000-8000-000000000001', 'p1'), ('00000000-0000-4000-8000-000000000002', 'p2')`,
        )
        await database.db.execute(sql`
          insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at)
          values ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'c1', 'r1', 'v2', 'education', 'h', now()),
                 ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000002', 'c2', 'r2', 'v2', 'education', 'h', now())`)
        await insertItem('00000000-0000-4000-8000-0000000000a1', 'i1')
        await insertItem('00000000-0000-4000-8000-0000000000a2', 'i2')
        await database.migrate()
        // An instance of the previous release, still running, inserts as it always did: without partner_id.
        await insertItem('00000000-0000-4000-8000-0000000000a2', 'i3')
        // The current release names the partner itself.
        await database.db.execute(sql`insert into submission_items (id, submission_id, partner_id, position, partner_item_id, credential_type)
          values (gen_random_uuid(), '00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 1, 'i4', 'education')`)
        const rows = (await database.db.execute(
          sql`select partner_item_id, partner_id from submission_items order by partner_item_id`,
        )) as unknown as { rows: unknown[] }
        assert.deepEqual(rows.rows, [
          { partner_item_id: 'i1', partner_id: '00000000-0000-4000-8000-000000000001' },
          { partner_item_id: 'i2', partner_id: '00000000-0000-4000-8000-000000000002' },
          { partner_item_id: 'i3', partner_id: '00000000-0000-4000-8000-000000000002' },
          { partner_item_id: 'i4', partner_id: '00000000-0000-4000-8000-000000000001' },
        ])
        // The column stays required: an item of no submission has no partner.
        await assert.rejects(
          insertItem('00000000-0000-4000-8000-0000000000ff', 'i5'),
          (error: Error & { cause?: Error }) => /"partner_id".*not-null/.test(String(error.cause?.message)),
        )
      } finally {
        await database.close()
        dispose()
      }
    })
  })
}

for (const backend of earlierDatabases) {
  describe(`migration 0011 (what holders see of a partner), ${backend.name}`, { skip: backend.skip }, () => {
    it('keeps the partners already stored and those the previous release still registers: no display name, so their name shows', async () => {
      const { database, dispose } = await backend.open(10)
      try {
        await database.db.execute(
          sql`insert into partners (id, name) values ('00000000-0000-4000-8000-000000000011', 'Old University')`,
        )
        await database.migrate()
        // An instance of the previous release registers a partner as it always did.
        await database.db.execute(
          sql`insert into partners (id, name) values ('00000000-0000-4000-8000-000000000012', 'During Upgrade')`,
        )
        const rows = (await database.db.execute(
          sql`select name, display_name, support_contact from partners order by name`,
        )) as unknown as { rows: unknown[] }
        assert.deepEqual(rows.rows, [
          { name: 'During Upgrade', display_name: null, support_contact: null },
          { name: 'Old University', display_name: null, support_contact: null },
        ])
        const profile = await findIssuerProfile(database.db, '00000000-0000-4000-8000-000000000011')
        assert.deepEqual(profile, { displayName: 'Old University', logoUrl: null, support: null })
        // A logo goes with its partner.
        await database.db.execute(
          sql`insert into partner_logos (partner_id, content_type, bytes, sha256, updated_at) values ('00000000-0000-4000-8000-000000000011', 'image/png', '\\x89504e47'::bytea, 'abc', now())`,
        )
        const logo = await findLogo(database.db, '00000000-0000-4000-8000-000000000011')
        assert.deepEqual(logo?.bytes, Buffer.from([0x89, 0x50, 0x4e, 0x47]))
      } finally {
        await database.close()
        dispose()
      }
    })
  })
}
