import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSubmission } from '../../src/modules/submissions/create-submission.js'
import { parseV2Batch } from '../../src/modules/submissions/parse-intake.js'
import { findSubmission, listAssetsAwaitingUpload, listAssetsOf, listItemsOf } from '../../src/modules/submissions/submissions.repo.js'
import { describeEachBackend } from '../support/app.js'
import { makePartner } from '../support/factories.js'
import { freshBatch } from '../support/intake-helpers.js'

/**
 * A new submission is stored by one statement and answered from memory (no read-back): what the
 * answer says must be exactly what a later read finds, or the status API and the holder pages
 * would disagree with the 201.
 */
describeEachBackend('storing a new submission', (use) => {
  test('the answer of a new submission equals what is stored, links in the order a replay lists them', async () => {
    const t = use()
    const client = await makePartner(t)
    const principal = { partnerId: client.partner_id, clientId: client.client_id, scopes: new Set<string>() }
    const { body } = freshBatch()
    // A second document declared after one it sorts before (code-unit order: 'Z' < 'a'): the
    // answer must list them the way the database does.
    const first = body.education_items[0].assets[0].asset_id as string
    body.education_items[0].assets.push({ asset_id: first.replace(/-asset$/, '-Zeta'), asset_type: 'pdf' })
    const draft = parseV2Batch(body, t.deps.config)

    const created = await createSubmission(t.deps, principal, draft, body, 'key-1')
    assert.equal(created.replayed, false)
    assert.deepEqual(await findSubmission(t.deps.db, created.submission.id), created.submission)
    const stored = await listAssetsAwaitingUpload(t.deps.db, created.submission.id)
    assert.deepEqual(created.awaitingUpload, stored.map((a) => ({ id: a.id, partnerAssetId: a.partnerAssetId, assetType: a.assetType })))
    assert.equal(created.awaitingUpload.length, 5)
    const education = created.awaitingUpload.filter((a) => a.partnerAssetId.includes('-edu-1-'))
    assert.deepEqual(education.map((a) => a.partnerAssetId), [first.replace(/-asset$/, '-Zeta'), first])

    const items = await listItemsOf(t.deps.db, [created.submission.id])
    assert.deepEqual(items.map((i) => i.partnerItemId), draft.items.map((i) => i.partnerItemId))
    assert.deepEqual(items.map((i) => i.fields), draft.items.map((i) => i.fields))
    assert.equal((await listAssetsOf(t.deps.db, [created.submission.id])).length, 5)

    const replay = await createSubmission(t.deps, principal, draft, body, 'key-1')
    assert.equal(replay.replayed, true)
    assert.deepEqual(replay.submission, created.submission)
    assert.deepEqual(replay.awaitingUpload, created.awaitingUpload)
  })
})
