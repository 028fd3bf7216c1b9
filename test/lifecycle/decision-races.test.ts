import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { it } from 'node:test'
import { eq, sql } from 'drizzle-orm'
import pg from 'pg'
import { assets, submissions } from '../../src/db/schema.js'
import { acceptByHolder, declineByHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makeBoundSubmission } from '../support/factories.js'

const PDF = fs.readFileSync(new URL('../fixtures/documents/tiny.pdf', import.meta.url))

/** Every blob file the store holds for a submission. */
function blobFilesOf(t: TestApp, submissionId: string): string[] {
  const dir = path.join(t.config.dataDir, 'blobs', 'submissions', submissionId)
  return fs.existsSync(dir) ? fs.readdirSync(dir) : []
}

/** Returns once some session of the database waits on a lock (the one the test holds through `locker`). */
async function waitForALockWait(locker: pg.Client): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const waiting = await locker.query(
      `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
    )
    if (waiting.rows[0].n > 0) return
    await sleep(10)
  }
  throw new Error('no session started waiting on the lock within 2 s')
}

// A decline deletes the submission's documents (spec §10). An upload that commits while the decline
// is running must not leave its document behind: the decline either sees its blob key and deletes
// the file, or the upload waits for the decline and throws its own file away.
describeEachBackend('decisions racing uploads and the deadline', (use) => {
  it('leaves no document file behind, whichever commits first', async (ctx) => {
    const t = use()
    const url = (t.deps.database as { url?: string }).url
    if (t.backend !== 'postgres' || !url) return ctx.skip('PostgreSQL only: PGlite runs one statement at a time')
    const { submission, holderId, uploads } = await makeBoundSubmission(t)

    // Another session locks the asset stored first, so the decline stalls on it part-way; the upload
    // goes to the asset stored last, which the decline reaches only after that lock is released.
    const stored = await t.deps.db.execute(
      sql`select id from assets where submission_id = ${submission.id} order by ctid`,
    )
    const [first, last] = [
      (stored as unknown as { rows: Array<{ id: string }> }).rows.at(0)!.id,
      (stored as unknown as { rows: Array<{ id: string }> }).rows.at(-1)!.id,
    ]
    const link = uploads.find((u) => u.url.includes(last))
    assert.ok(link, 'the last asset awaits an upload')
    const locker = new pg.Client({ connectionString: url })
    await locker.connect()
    try {
      await locker.query('begin')
      await locker.query('select id from assets where id = $1 for update', [first])
      const decline = declineByHolder(t.deps, { submissionId: submission.id, holderId })
      await waitForALockWait(locker)
      const upload = fetch(link.url.replace('http://credport.test', t.baseUrl), {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        body: PDF,
      })
      // Let the upload commit (or start waiting on the decline), then let the decline go on.
      await Promise.race([upload, sleep(500)])
      await locker.query('commit')
      assert.equal((await decline).status, 'canceled')
      const answer = await upload
      assert.ok([201, 409, 410].includes(answer.status), `upload answered ${answer.status}`)
    } finally {
      await locker.end()
    }

    const rows = await t.deps.db.select().from(assets).where(eq(assets.submissionId, submission.id))
    assert.ok(
      rows.every((a) => a.blobKey === null),
      JSON.stringify(rows.map((a) => [a.partnerAssetId, a.state, a.blobKey])),
    )
    assert.deepEqual(blobFilesOf(t, submission.id), [], 'no document of the declined submission is kept')
  })

  it('a decision that waited on a lock past the deadline is too late', async (ctx) => {
    const t = use()
    const url = (t.deps.database as { url?: string }).url
    if (t.backend !== 'postgres' || !url) return ctx.skip('PostgreSQL only: PGlite runs one statement at a time')
    const { submission, holderId } = await makeBoundSubmission(t)

    const locker = new pg.Client({ connectionString: url })
    await locker.connect()
    try {
      await locker.query('begin')
      await locker.query('select id from submissions where id = $1 for update', [submission.id])
      t.clock.advance(48 * 3600_000 - 1000)
      // The refusal is expected from the start (an unobserved rejection would fail the run).
      const tooLate = assert.rejects(acceptByHolder(t.deps, { submissionId: submission.id, holderId }), {
        code: 'conflict',
      })
      await waitForALockWait(locker)
      t.clock.advance(2000) // the deadline passes while the answer waits
      await locker.query('commit')
      await tooLate // too late: nothing decided
    } finally {
      await locker.end()
      t.clock.set(new Date())
    }
    const [after] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.equal(after!.status, 'incomplete', 'left for the expiry job')
  })
})
