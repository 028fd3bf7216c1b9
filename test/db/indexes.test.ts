import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import { backends, freshDatabase } from '../support/databases.js'

for (const backend of backends()) {
  describe(`indexes (${backend})`, () => {
    let database: Database
    before(async () => {
      database = await freshDatabase(backend)
    })
    after(async () => database.close())

    /** The plan of a statement, with sequential scans made as costly as they go, as one text. */
    async function planOf(statement: ReturnType<typeof sql>): Promise<string> {
      return database.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`)
        const result = (await tx.execute(sql`explain ${statement}`)) as unknown as { rows: Array<Record<string, string>> }
        return result.rows.map((row) => Object.values(row).join(' ')).join('\n')
      })
    }

    // The holder index is partial (new submissions have no holder and are not in it): the lookups by
    // holder, the wallet's and a holder's deletion check, must still be able to use it.
    it('looks submissions up by holder through the partial holder index', async () => {
      const holderId = randomUUID()
      assert.match(await planOf(sql`select id from submissions where holder_id = ${holderId} and status = 'verified'`), /submissions_holder_idx/)
      assert.match(await planOf(sql`select 1 from submissions where holder_id = ${holderId}`), /submissions_holder_idx/)
      const definition = (await database.db.execute(sql`select indexdef from pg_indexes where indexname = 'submissions_holder_idx'`)) as unknown as { rows: Array<{ indexdef: string }> }
      assert.match(definition.rows[0]!.indexdef, /WHERE \(?holder_id IS NOT NULL\)?/i)
    })
  })
}
