import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { eq } from 'drizzle-orm'
import { assets, submissionItems, submissions, webhookEvents } from '../../src/db/schema.js'
import {
  declineByHolder,
  decideByHolder,
  findAcceptedItemOfHolder,
  listAcceptedItemsOf,
} from '../../src/modules/submissions/index.js'
import type { TestApp } from '../support/app.js'
import { DOCUMENT_FIXTURES, readFixture } from '../support/asset-factory.js'
import { describeEachBlobStore, NOT_ABOUT_THE_STORE, uploadDocument } from '../support/blob-stores.js'
import { makeBoundSubmission } from '../support/factories.js'
import { statusPath } from '../support/intake-helpers.js'

// Per-item consent in the lifecycle, on both databases (and the decisions' deletes on S3 too): the holder accepts some credentials of the
// batch sample and declines the others; the declined ones are purged as a declined submission is.

/** The batch sample, bound, with its two microcredential documents uploaded (PDF on micro-1, PNG on micro-2). */
async function boundWithDocuments(t: TestApp) {
  const bound = await makeBoundSubmission(t)
  const links = bound.uploads as Array<{ asset_id: string; url: string; content_type: string }>
  for (const [suffix, kind] of [
    ['-micro-1-asset', 'pdf'],
    ['-micro-2-asset', 'png'],
  ] as const) {
    const link = links.find((u) => u.asset_id.endsWith(suffix))!
    await uploadDocument(t, link, readFixture(DOCUMENT_FIXTURES[kind]))
  }
  const items = await t.deps.db
    .select()
    .from(submissionItems)
    .where(eq(submissionItems.submissionId, bound.submission.id))
    .orderBy(submissionItems.position)
  const item = (suffix: string) => items.find((i) => i.partnerItemId.endsWith(suffix))!
  return { ...bound, items, item }
}

/** The decision events recorded for a submission (`submission.verified` / `submission.canceled`). */
async function decisionEventsOf(t: TestApp, submissionId: string): Promise<string[]> {
  const events = await t.deps.db.select().from(webhookEvents).where(eq(webhookEvents.submissionId, submissionId))
  return events.map((e) => e.type).filter((type) => type === 'submission.verified' || type === 'submission.canceled')
}

const blobKeyOf = async (t: TestApp, itemId: string) => {
  const [row] = await t.deps.db.select().from(assets).where(eq(assets.itemId, itemId))
  return row!.blobKey
}

// On each blob store: with S3 the declined credentials' objects leave the bucket.
describeEachBlobStore('per-item consent', (use, store) => {
  it('accepting all but one: verified; the declined credential and its document are deleted, the rest kept', async () => {
    const t = use()
    const { submission, holderId, token, items, item } = await boundWithDocuments(t)
    const declined = item('-micro-1')
    const kept = item('-micro-2')
    const declinedKey = (await blobKeyOf(t, declined.id))!
    const keptKey = (await blobKeyOf(t, kept.id))!
    const before = await t.deps.blobs.get(declinedKey)
    assert.ok(before, 'the document is stored before the decision')
    before.destroy()

    const accepted = items.filter((i) => i.id !== declined.id).map((i) => i.id)
    const decided = await decideByHolder(t.deps, { submissionId: submission.id, holderId, acceptedItemIds: accepted })
    assert.equal(decided.status, 'verified')
    assert.equal(decided.cancelReason, null)
    assert.equal(decided.dataDeletedAt, null, 'the submission keeps its accepted credentials')

    const after = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    for (const row of after) {
      if (row.id === declined.id) {
        assert.equal(row.decision, 'declined')
        assert.deepEqual([row.fields, row.partnerChain, row.displayTitle], [null, null, null])
      } else {
        assert.equal(row.decision, 'accepted')
        assert.notEqual(row.fields, null, `${row.partnerItemId} is kept`)
      }
    }
    assert.equal(await blobKeyOf(t, declined.id), null)
    assert.equal(await t.deps.blobs.get(declinedKey), null, "the declined credential's document is gone")
    const keptBlob = await t.deps.blobs.get(keptKey)
    assert.ok(keptBlob, "the accepted credential's document stays")
    keptBlob.destroy()

    // One event: submission.verified (at least one credential accepted).
    assert.deepEqual(await decisionEventsOf(t, submission.id), ['submission.verified'])

    // The status API's wire: the submission verified, each credential accepted or declined.
    const status = await t.request('GET', statusPath(submission.partnerRef), { token })
    assert.equal(status.status, 200, status.text)
    assert.equal(status.body.status, 'verified')
    const byId = Object.fromEntries(
      (status.body.items as Array<{ id: string; status: string }>).map((i) => [i.id, i.status]),
    )
    assert.equal(Object.keys(byId).length, items.length)
    for (const i of items) assert.equal(byId[i.partnerItemId], i.id === declined.id ? 'declined' : 'accepted')

    // The wallet's reads: accepted credentials only.
    const walletItems = await listAcceptedItemsOf(t.deps.db, [submission.id])
    assert.deepEqual(
      walletItems.map((i) => i.id),
      accepted,
    )
    assert.equal(await findAcceptedItemOfHolder(t.deps.db, holderId, declined.id), undefined)
    assert.equal((await findAcceptedItemOfHolder(t.deps.db, holderId, kept.id))?.item.id, kept.id)
  })

  it('accepting none: canceled (declined), every credential declined and purged, event submission.canceled', async () => {
    const t = use()
    const { submission, holderId, item } = await boundWithDocuments(t)
    const key = (await blobKeyOf(t, item('-micro-2').id))!
    const decided = await decideByHolder(t.deps, { submissionId: submission.id, holderId, acceptedItemIds: [] })
    assert.equal(decided.status, 'canceled')
    assert.equal(decided.cancelReason, 'declined')
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.ok(row!.dataDeletedAt, 'purged as a whole')
    const after = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    assert.ok(after.every((i) => i.decision === 'declined' && i.fields === null))
    assert.equal(await t.deps.blobs.get(key), null)
    assert.deepEqual(await decisionEventsOf(t, submission.id), ['submission.canceled'])
    assert.deepEqual(await listAcceptedItemsOf(t.deps.db, [submission.id]), [])
  })

  it('an id of no credential of the submission is refused, and nothing changes', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const t = use()
    const { submission, holderId, items } = await makeBoundSubmission(t).then(async (b) => ({
      ...b,
      items: await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, b.submission.id)),
    }))
    await assert.rejects(
      decideByHolder(t.deps, {
        submissionId: submission.id,
        holderId,
        acceptedItemIds: [items[0]!.id, randomUUID()],
      }),
      { code: 'invalid_parameter' },
    )
    const [row] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission.id))
    assert.equal(row!.status, 'incomplete')
    const after = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    assert.ok(after.every((i) => i.decision === null && i.fields !== null))
  })

  it('two decisions at once: one wins, the other is a conflict (409), and the winner alone is recorded', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async () => {
    const t = use()
    const { submission, holderId, items, item } = await boundWithDocuments(t)
    const some = items.filter((i) => i.id !== item('-micro-1').id).map((i) => i.id)
    const results = await Promise.allSettled([
      decideByHolder(t.deps, { submissionId: submission.id, holderId, acceptedItemIds: some }),
      declineByHolder(t.deps, { submissionId: submission.id, holderId }),
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    assert.equal(won.length, 1, 'exactly one decision wins')
    const reason = (lost[0] as PromiseRejectedResult).reason as { code: string; status: number }
    assert.equal(reason.code, 'conflict')
    assert.equal(reason.status, 409)

    const winner = (won[0] as PromiseFulfilledResult<{ status: string }>).value
    const after = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission.id))
    const accepted = after.filter((i) => i.decision === 'accepted').map((i) => i.id)
    if (winner.status === 'verified') assert.deepEqual(accepted.sort(), [...some].sort())
    else assert.deepEqual(accepted, [])
    assert.deepEqual(await decisionEventsOf(t, submission.id), [
      winner.status === 'verified' ? 'submission.verified' : 'submission.canceled',
    ])
  })
})
