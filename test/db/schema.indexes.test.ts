import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'drizzle-orm'
import type { Database } from '../../src/db/client.js'
import {
  currentByItemIdsQuery,
  readStatuses,
  readStatusesQuery,
} from '../../src/modules/submissions/submissions.repo.js'
import { backends, freshDatabase } from '../support/databases.js'

interface PlanNode {
  'Index Name'?: string
  'Actual Rows': number
  'Actual Loops': number
  Plans?: PlanNode[]
}

/** A plan's nodes, all levels. */
function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)]
}

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
        const result = (await tx.execute(sql`explain ${statement}`)) as unknown as {
          rows: Array<Record<string, string>>
        }
        return result.rows.map((row) => Object.values(row).join(' ')).join('\n')
      })
    }

    // The holder index is partial (new submissions have no holder and are not in it): the lookups by
    // holder, the wallet's and a holder's deletion check, must still be able to use it.
    it('looks submissions up by holder through the partial holder index', async () => {
      const holderId = randomUUID()
      assert.match(
        await planOf(sql`select id from submissions where holder_id = ${holderId} and status = 'verified'`),
        /submissions_holder_idx/,
      )
      assert.match(await planOf(sql`select 1 from submissions where holder_id = ${holderId}`), /submissions_holder_idx/)
      const definition = (await database.db.execute(
        sql`select indexdef from pg_indexes where indexname = 'submissions_holder_idx'`,
      )) as unknown as { rows: Array<{ indexdef: string }> }
      assert.match(definition.rows[0]!.indexdef, /WHERE \(?holder_id IS NOT NULL\)?/i)
    })

    // Status by credential id (GET and bulk POST) looks items up by the partner's item id alone: without
    // an index led by it, every lookup would walk all of the partner's submissions.
    it('looks items up by the partner item id through an index, not through every submission', async () => {
      // A partner with many current submissions, as a busy one has: the plan must not walk them all.
      const partnerId = randomUUID()
      await database.db.execute(sql`insert into partners (id, name) values (${partnerId}, 'busy')`)
      await database.db.execute(sql`
        insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at)
        select gen_random_uuid(), ${partnerId}, 'cpc_busy', 'ref-' || g, 'v2', 'education', 'hash', now() from generate_series(1, 3000) g`)
      await database.db.execute(sql`
        insert into submission_items (id, submission_id, partner_id, position, partner_item_id, credential_type)
        select gen_random_uuid(), id, partner_id, 0, 'item-' || partner_ref, 'education' from submissions where partner_id = ${partnerId}`)
      await database.db.execute(sql`analyze submissions`)
      await database.db.execute(sql`analyze submission_items`)
      const plan = await planOf(sql`${currentByItemIdsQuery(database.db, partnerId, ['item-ref-7', 'item-ref-70'])}`)
      assert.match(plan, /submission_items_by_partner_item_id_idx/)
      // Used again by a newer submission, an item id still answers with one row: the newest.
      const [reusing] = (
        (await database.db.execute(sql`
        insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at, created_at)
        values (gen_random_uuid(), ${partnerId}, 'cpc_busy', 'ref-again', 'v2-batch', 'batch', 'hash', now(), now() + interval '1 minute') returning id`)) as unknown as {
          rows: Array<{ id: string }>
        }
      ).rows
      await database.db.execute(
        sql`insert into submission_items (id, submission_id, partner_id, position, partner_item_id, credential_type) values (gen_random_uuid(), ${reusing!.id}, ${partnerId}, 0, 'item-ref-7', 'education')`,
      )
      const found = await currentByItemIdsQuery(database.db, partnerId, ['item-ref-7', 'item-ref-70', 'unknown'])
      assert.deepEqual(
        found.map((row) => [row.itemId, row.submission.id === reusing!.id]),
        [
          ['item-ref-7', true],
          ['item-ref-70', false],
        ],
      )
    })

    // Another partner's items never count in a partner's lookups: an id that many items of others
    // share ("1", "shared-1") is looked up through the index by partner (none of them walked), and
    // an id that names a submission of the asker's own is not looked up as an item id at all.
    it('reads statuses without walking the items of other partners that share an id', async () => {
      const asker = randomUUID()
      const other = randomUUID()
      await database.db.execute(
        sql`insert into partners (id, name) values (${asker}, 'asker'), (${other}, 'positional ids')`,
      )
      await database.db.execute(sql`
        insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at)
        values (gen_random_uuid(), ${asker}, 'cpc_asker', 'shared-1', 'v2', 'education', 'hash', now() + interval '1 day')`)
      await database.db.execute(sql`
        insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at)
        select gen_random_uuid(), ${other}, 'cpc_other', 'batch-' || g, 'v1-batch', 'batch', 'hash', now() + interval '1 day' from generate_series(1, 500) g`)
      await database.db.execute(sql`
        insert into submission_items (id, submission_id, partner_id, position, partner_item_id, credential_type)
        select gen_random_uuid(), id, partner_id, p, case p when 0 then 'shared-1' else 'shared-2' end, 'education'
        from submissions, generate_series(0, 1) p where partner_id = ${other}`)
      // A busy asker too: 2 000 submissions of its own, with items of their own ids.
      await database.db.execute(sql`
        insert into submissions (id, partner_id, client_id, partner_ref, envelope, redirect_path, body_hash, expires_at)
        select gen_random_uuid(), ${asker}, 'cpc_asker', 'own-' || g, 'v2', 'education', 'hash', now() + interval '1 day' from generate_series(1, 2000) g`)
      await database.db.execute(sql`
        insert into submission_items (id, submission_id, partner_id, position, partner_item_id, credential_type)
        select gen_random_uuid(), id, partner_id, 0, 'item-' || partner_ref, 'education' from submissions where partner_id = ${asker}`)
      await database.db.execute(sql`analyze submissions`)
      await database.db.execute(sql`analyze submission_items`)
      const itemRowsWalked = async (ids: string[]) => {
        const plan = await database.db.transaction(async (tx) => {
          const result = (await tx.execute(
            sql`explain (analyze, format json) ${readStatusesQuery(tx, asker, ids)}`,
          )) as unknown as { rows: Array<Record<string, unknown>> }
          const json = Object.values(result.rows[0]!)[0]
          return ((typeof json === 'string' ? JSON.parse(json) : json) as Array<{ Plan: PlanNode }>)[0]!.Plan
        })
        const lookups = planNodes(plan).filter(
          (node) => node['Index Name'] === 'submission_items_by_partner_item_id_idx',
        )
        assert.ok(lookups.length > 0, JSON.stringify(plan))
        return lookups.reduce((sum, node) => sum + node['Actual Rows'] * node['Actual Loops'], 0)
      }
      assert.equal(await itemRowsWalked(['shared-1']), 0, 'a submission id of the asker: no item lookup')
      assert.equal(await itemRowsWalked(['shared-2']), 0, 'an item id only other partners use: none of their items')
      assert.equal(await itemRowsWalked(['item-own-7']), 1, 'an item id of the asker: its one item')
      const [read] = await readStatuses(database.db, asker, ['shared-1'])
      assert.equal(read?.submission.partnerRef, 'shared-1')
      assert.deepEqual(await readStatuses(database.db, asker, ['shared-2']), [])
    })

    // Every foreign key column leads an index, or the rows it points at are never deleted: otherwise a
    // cascade (or a lookup by that column) walks the whole table once per deleted row.
    const parentsNeverDeleted: Record<string, string> = {
      'submissions.partner_id': 'partners are suspended, never deleted',
      'submissions.holder_id': 'holders are never deleted (the partial holder index serves the lookups)',
      'idempotency_keys.submission_id': 'submissions are never deleted; expiry deletes their data only',
      'holder_sessions.pending_submission_id': 'submissions are never deleted; expiry deletes their data only',
      'holder_sessions.holder_id': 'holders are never deleted',
    }
    it('indexes every foreign key whose parent rows are deleted', async () => {
      const result = (await database.db.execute(sql`
        select c.conrelid::regclass::text || '.' || a.attname as column,
               exists (select 1 from pg_index i where i.indrelid = c.conrelid and i.indkey[0] = c.conkey[1] and i.indpred is null) as indexed
        from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
        where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        order by 1`)) as unknown as { rows: Array<{ column: string; indexed: boolean }> }
      assert.ok(result.rows.length >= 10, JSON.stringify(result.rows))
      const unindexed = result.rows.filter((row) => !row.indexed).map((row) => row.column)
      assert.deepEqual(
        unindexed.filter((column) => !(column in parentsNeverDeleted)),
        [],
      )
      // The list above names only foreign keys that exist and really lack an index.
      assert.deepEqual(Object.keys(parentsNeverDeleted).sort(), unindexed.sort())
    })

    it("finds a session's latest sign-in code through an index", async () => {
      const plan = await planOf(
        sql`select * from sign_in_codes where session_id = 'session' order by created_at desc limit 1`,
      )
      assert.match(plan, /sign_in_codes_session_idx/)
    })
  })
}
