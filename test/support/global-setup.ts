// Run once per `npm test` by scripts/test.mjs: a migrated PostgreSQL template database and a
// migrated PGlite snapshot, so that each test file gets a fresh database in well under a second.
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { openPglite, openPostgres } from '../../src/db/client.js'
import { PG_TEMPLATE_DB, pgliteSnapshotPath, withDatabaseName } from './databases.js'

const started = Date.now()
const tmp = process.env.TEST_TMP_DIR
if (!tmp) throw new Error('TEST_TMP_DIR is not set')

const pglite = await openPglite({})
await pglite.migrate()
const dump = await pglite.snapshot!()
fs.writeFileSync(pgliteSnapshotPath(tmp), Buffer.from(await dump.arrayBuffer()))
await pglite.close()

const url = process.env.TEST_DATABASE_URL
if (url) {
  const admin = await openPostgres(url, 1)
  await admin.db.execute(sql.raw(`drop database if exists ${PG_TEMPLATE_DB}`))
  await admin.db.execute(sql.raw(`create database ${PG_TEMPLATE_DB}`))
  await admin.close()
  const template = await openPostgres(withDatabaseName(url, PG_TEMPLATE_DB), 1)
  await template.migrate()
  await template.close()
}
process.stderr.write(
  `[test] databases prepared in ${Date.now() - started} ms (${path.basename(pgliteSnapshotPath(tmp))}${url ? `, ${PG_TEMPLATE_DB}` : ''})\n`,
)
