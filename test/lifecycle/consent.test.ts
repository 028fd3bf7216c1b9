import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { eq } from 'drizzle-orm'
import { holders, submissionItems, submissions } from '../../src/db/schema.js'
import { acceptByHolder, bindHolder, declineByHolder } from '../../src/modules/submissions/index.js'
import { describeEachBackend } from '../support/app.js'
import { makeBoundSubmission } from '../support/factories.js'

describeEachBackend('consent', (use) => {
  it('binding: the first holder keeps the submission, another is refused, opened_at is set once', async () => {
    const t = use()
    const { submission, holderId } = await makeBoundSubmission(t)
    const other = randomUUID()
    await t.deps.db.insert(holders).values({ id: other, email: `${other}@example.test` })
    await assert.rejects(bindHolder(t.deps, { submissionId: submission.id, holderId: other }), { code: 'forbidden' })
    assert.equal((await bindHolder(t.deps, { submissionId: submission.id, holderId })).holderId, holderId)
    await assert.rejects(bindHolder(t.deps, { submissionId: randomUUID(), holderId }), { code: 'not_found' })
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.ok(row!.openedAt)
  })

  it('accept: verified once; a second decision changes nothing', async () => {
    const t = use()
    const { submission, holderId } = await makeBoundSubmission(t)
    const decided = await acceptByHolder(t.deps, { submissionId: submission.id, holderId })
    assert.equal(decided.status, 'verified')
    await assert.rejects(declineByHolder(t.deps, { submissionId: submission.id, holderId }), { code: 'conflict' })
    const items = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    assert.ok(
      items.every((i) => i.fields !== null),
      'accepted credentials are kept',
    )
  })

  it('decline: canceled, and the credential data is deleted', async () => {
    const t = use()
    const { submission, holderId } = await makeBoundSubmission(t)
    const decided = await declineByHolder(t.deps, { submissionId: submission.id, holderId })
    assert.equal(decided.status, 'canceled')
    assert.equal(decided.cancelReason, 'declined')
    const items = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    assert.ok(items.length > 0 && items.every((i) => i.fields === null && i.displayTitle === null))
  })

  it('only the bound holder can decide', async () => {
    const t = use()
    const { submission } = await makeBoundSubmission(t)
    await assert.rejects(acceptByHolder(t.deps, { submissionId: submission.id, holderId: randomUUID() }), {
      code: 'forbidden',
    })
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.equal(row!.status, 'incomplete')
  })
})
