import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import { executeNamed, type Database } from '../../src/db/client.js'
import { backends, freshDatabase } from '../support/databases.js'

// executeNamed prepares a hot statement once. On PGlite its parameters travel as escaped
// literals of an EXECUTE: these tests hold that escaping to every text a partner can send.
const HOSTILE_TEXTS = [
  "it's",
  "''",
  "\\'); drop table submissions; --",
  'back\\slash \\\\ and \\n not a newline',
  "E'\\x41'",
  '$1 $$ dollar $tag$',
  'line\nbreak\ttab\r',
  'ünïcödé ☃ 𝄞 🎓',
  '',
]

for (const backend of backends()) {
  describe(`executeNamed (${backend})`, () => {
    let database: Database
    before(async () => {
      database = await freshDatabase(backend)
    })
    after(async () => database.close())

    const echo = (text: string | null, json: string, when: string) =>
      executeNamed(
        database.db,
        'test_echo',
        sql`select ${text}::text as text, ${json}::jsonb as json, ${when}::timestamptz as "when"`,
      )

    it('gives every text back exactly as sent, call after call of the prepared statement', async () => {
      for (const text of HOSTILE_TEXTS) {
        const json = JSON.stringify({ text, nested: [text] })
        const [row] = (await echo(text, json, '2026-11-23T08:00:00.000Z')) as Array<{
          text: string
          json: unknown
          when: Date | string
        }>
        assert.equal(row!.text, text)
        assert.deepEqual(row!.json, { text, nested: [text] })
        assert.equal(new Date(row!.when).toISOString(), '2026-11-23T08:00:00.000Z')
      }
    })

    it('keeps quotes whatever backslash_quote says (PGlite’s literals double them)', async (ctx) => {
      if (backend !== 'pglite') return ctx.skip('parameters travel as literals on PGlite only')
      await database.db.execute(sql`set backslash_quote = off`)
      try {
        const [row] = (await echo("O'Brien \\ it's", '{}', '2026-11-23T08:00:00Z')) as Array<{ text: string }>
        assert.equal(row!.text, "O'Brien \\ it's")
      } finally {
        await database.db.execute(sql`reset backslash_quote`)
      }
    })

    it('passes null as null', async () => {
      const [row] = (await echo(null, 'null', '2026-11-23T08:00:00Z')) as Array<{ text: string | null; json: unknown }>
      assert.equal(row!.text, null)
      assert.equal(row!.json, null)
    })

    it('is prepared once: the statement is in the session, and the same name with another text throws', async () => {
      await echo('warm', '{}', '2026-11-23T08:00:00Z')
      if (backend === 'pglite') {
        // PGlite has one session: the statement prepared by name is visible there.
        const prepared = (await database.db.execute(
          sql`select name from pg_prepared_statements where name = 'test_echo'`,
        )) as unknown as { rows: unknown[] }
        assert.equal(prepared.rows.length, 1)
      }
      await assert.rejects(
        executeNamed(database.db, 'test_echo', sql`select ${'x'}::text as other`),
        /prepared statement test_echo was called with another SQL text/,
      )
    })

    it('refuses NUL rather than cutting the statement short', async () => {
      await assert.rejects(echo('nul\u0000here', '{}', '2026-11-23T08:00:00Z'))
    })

    it('runs unnamed inside a transaction, where it sees the transaction’s own rows', async () => {
      const seen = await database.db.transaction(async (tx) => {
        await tx.execute(sql`create temporary table echo_tx (v text) on commit drop`)
        await tx.execute(sql`insert into echo_tx values ('inside')`)
        return executeNamed(tx, 'test_echo_tx', sql`select v from echo_tx where v = ${'inside'}`)
      })
      assert.deepEqual(seen, [{ v: 'inside' }])
    })

    // A statement built once, its parameters placeholders (as the holder pages' session read is).
    const built = sql`select ${sql.placeholder('text')}::text as text, ${sql.placeholder('when')}::timestamptz as "when"`

    it('runs a statement built once with the values of its placeholders, call after call', async () => {
      for (const text of HOSTILE_TEXTS) {
        const [row] = (await executeNamed(database.db, 'test_built_once', built, {
          text,
          when: new Date('2026-11-23T08:00:00.000Z'),
        })) as Array<{ text: string; when: Date | string }>
        assert.equal(row!.text, text)
        assert.equal(new Date(row!.when).toISOString(), '2026-11-23T08:00:00.000Z')
      }
      const [empty] = (await executeNamed(database.db, 'test_built_once', built, { text: null, when: null })) as Array<{
        text: string | null
      }>
      assert.equal(empty!.text, null)
    })

    it('fills the placeholders of a statement built once inside a transaction too', async () => {
      const seen = await database.db.transaction(async (tx) =>
        executeNamed(tx, 'test_built_once_tx', built, { text: "it's", when: new Date('2026-11-23T08:00:00Z') }),
      )
      assert.equal((seen as Array<{ text: string }>)[0]!.text, "it's")
    })

    it('refuses a statement built once without a value for one of its placeholders', async () => {
      await assert.rejects(executeNamed(database.db, 'test_built_once', built, { text: 'x' }), /when/)
    })
  })
}
