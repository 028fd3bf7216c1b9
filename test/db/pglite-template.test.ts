import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { openPglite } from '../../src/db/client.js'
import { migrateInChildProcess } from '../../src/db/pglite-first-start.js'
import { createFromTemplate, tarFolder, templateFile, untar } from '../../src/db/pglite-template.js'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'credport-pglite-template-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('the pre-initialised PGlite data folder', () => {
  it('exists for the installed PGlite (after an upgrade: npm run db:pglite-template, commit it)', () => {
    assert.ok(fs.existsSync(templateFile()), `${templateFile()} is missing: run npm run db:pglite-template`)
  })

  it('a first start unpacks it and migrates it in a short-lived process; the data is there after a restart', async () => {
    const dataDir = path.join(scratch, 'first', 'pglite')
    const first = await openPglite({ dataDir })
    // The template's database, not one initdb made: pg_control starts with the system identifier
    // initdb draws for each database it creates.
    const unpacked = path.join(scratch, 'unpacked')
    assert.equal(await createFromTemplate(unpacked), true)
    const systemIdentifier = (folder: string) =>
      fs.readFileSync(path.join(folder, 'global', 'pg_control')).subarray(0, 8)
    assert.deepEqual(systemIdentifier(dataDir), systemIdentifier(unpacked))
    try {
      // Migrated by the short-lived process before it opened: nothing is left for migrate().
      const journal = JSON.parse(
        fs.readFileSync(new URL('../../src/db/migrations/meta/_journal.json', import.meta.url), 'utf8'),
      ) as { entries: unknown[] }
      const applied = (await first.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )) as unknown as { rows: { n: number }[] }
      assert.equal(applied.rows[0]?.n, journal.entries.length)
      await first.migrate()
      await first.db.execute(sql`create table kept (note text)`)
      await first.db.execute(sql`insert into kept values ('survives')`)
    } finally {
      await first.close()
    }
    const again = await openPglite({ dataDir })
    try {
      await again.migrate()
      const rows = (await again.db.execute(sql`select note from kept`)) as unknown as { rows: { note: string }[] }
      assert.deepEqual(rows.rows, [{ note: 'survives' }])
      const databases = (await again.db.execute(sql`select datname from pg_database order by datname`)) as unknown as {
        rows: { datname: string }[]
      }
      assert.deepEqual(
        databases.rows.map((row) => row.datname),
        ['postgres', 'template0', 'template1'],
      )
    } finally {
      await again.close()
    }
  })

  it('a creation that fails says why, with what the short-lived process wrote on stderr', async () => {
    const dataDir = path.join(scratch, 'failing', 'pglite')
    await assert.rejects(
      migrateInChildProcess(dataDir, path.join(scratch, 'no-such-migrations'), PGlite.defaultStartParams, []),
      (error: Error) =>
        /^creating the database in .* failed \(exit 1\): Can't find meta\/_journal\.json file$/.test(error.message),
    )
  })

  it('is used only for a folder that does not exist or is empty, and leaves no staging folder', async () => {
    const empty = path.join(scratch, 'empty')
    fs.mkdirSync(empty)
    assert.equal(await createFromTemplate(empty), true)
    assert.ok(fs.existsSync(path.join(empty, 'PG_VERSION')))
    assert.deepEqual(
      fs.readdirSync(scratch).filter((name) => name.includes('.creating-')),
      [],
    )

    const used = path.join(scratch, 'used')
    fs.mkdirSync(used)
    fs.writeFileSync(path.join(used, 'something'), 'x')
    assert.equal(await createFromTemplate(used), false)
    assert.deepEqual(fs.readdirSync(used), ['something'])
  })

  it('tarFolder and untar round-trip folders, empty files and binary files, whatever the chunks', async () => {
    const source = path.join(scratch, 'source')
    fs.mkdirSync(path.join(source, 'a', 'b', 'empty-folder'), { recursive: true })
    fs.writeFileSync(path.join(source, 'a', 'b', 'page'), Buffer.from(Array.from({ length: 9000 }, (_, i) => i % 256)))
    fs.writeFileSync(path.join(source, 'zero'), '')
    fs.writeFileSync(path.join(source, 'PG_VERSION'), '18\n')
    const target = path.join(scratch, 'target')
    const archive = tarFolder(source)
    // Chunks of 1, 7 and 700 bytes: headers and files cut anywhere.
    const chunks = [archive.subarray(0, 1), archive.subarray(1, 8)]
    for (let at = 8; at < archive.length; at += 700) chunks.push(archive.subarray(at, at + 700))
    assert.equal(await untar(chunks, target), 3)
    assert.deepEqual(
      fs.readFileSync(path.join(target, 'a', 'b', 'page')),
      fs.readFileSync(path.join(source, 'a', 'b', 'page')),
    )
    assert.equal(fs.readFileSync(path.join(target, 'zero'), 'utf8'), '')
    assert.equal(fs.readFileSync(path.join(target, 'PG_VERSION'), 'utf8'), '18\n')
    assert.ok(fs.statSync(path.join(target, 'a', 'b', 'empty-folder')).isDirectory())
  })

  it('untar refuses an entry that would land outside the folder, and an archive cut short', async () => {
    const source = path.join(scratch, 'evil-source')
    fs.mkdirSync(source)
    fs.writeFileSync(path.join(source, 'xx'), 'x')
    const archive = tarFolder(source)
    archive.write('../x\0', 0, 'utf8')
    await assert.rejects(untar([archive], path.join(scratch, 'evil-target')), /outside the folder/)
    assert.equal(fs.existsSync(path.join(scratch, 'x')), false)
    const cut = tarFolder(source).subarray(0, 1024)
    await assert.rejects(untar([cut], path.join(scratch, 'cut-target')), /ends before its end marker/)
  })
})
