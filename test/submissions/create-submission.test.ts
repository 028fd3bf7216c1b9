import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sql } from 'drizzle-orm'
import { assets, idempotencyKeys, submissionItems, submissions } from '../../src/db/schema.js'
import { createSubmission } from '../../src/modules/submissions/create-submission.js'
import { v2BatchDraft } from '../../src/modules/submissions/intake-drafts.js'
import {
  findSubmission,
  listAssetsAwaitingUpload,
  listAssetsOf,
  listItemsOf,
} from '../../src/modules/submissions/submissions.repo.js'
import { describeEachBackend } from '../support/app.js'
import { randomUUID } from 'node:crypto'
import { makePartner, makePartnerWithToken, tokenFor } from '../support/factories.js'
import { V2_BATCH, countSubmissions, freshBatch, statusPath, v2Body, v2Path } from '../support/intake-helpers.js'

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
    // Code points, not UTF-16 code units: U+FF21 sorts before U+1F600 (whose first unit is 0xD83D).
    const micro = body.microcredential_items[0].assets as Array<{ asset_id: string; asset_type: string }>
    micro.splice(0, 1, { asset_id: 'm-\u{1F600}', asset_type: 'pdf' }, { asset_id: 'm-\uFF21', asset_type: 'pdf' })
    const draft = v2BatchDraft(body)

    const created = await createSubmission(t.deps, principal, draft, body, 'key-1')
    assert.equal(created.replayed, false)
    assert.deepEqual(await findSubmission(t.deps.db, created.submission.id), created.submission)
    const stored = await listAssetsAwaitingUpload(t.deps.db, created.submission.id)
    assert.deepEqual(
      created.awaitingUpload,
      stored.map((a) => ({ id: a.id, partnerAssetId: a.partnerAssetId, assetType: a.assetType })),
    )
    assert.equal(created.awaitingUpload.length, 6)
    const education = created.awaitingUpload.filter((a) => a.partnerAssetId.includes('-edu-1-'))
    assert.deepEqual(
      education.map((a) => a.partnerAssetId),
      [first.replace(/-asset$/, '-Zeta'), first],
    )
    assert.deepEqual(
      created.awaitingUpload.filter((a) => a.partnerAssetId.startsWith('m-')).map((a) => a.partnerAssetId),
      ['m-\uFF21', 'm-\u{1F600}'],
    )

    const items = await listItemsOf(t.deps.db, [created.submission.id])
    assert.deepEqual(
      items.map((i) => i.partnerItemId),
      draft.items.map((i) => i.partnerItemId),
    )
    assert.deepEqual(
      items.map((i) => i.fields),
      draft.items.map((i) => i.fields),
    )
    assert.equal((await listAssetsOf(t.deps.db, [created.submission.id])).length, 6)

    const replay = await createSubmission(t.deps, principal, draft, body, 'key-1')
    assert.equal(replay.replayed, true)
    assert.deepEqual(replay.submission, created.submission)
    assert.deepEqual(replay.awaitingUpload, created.awaitingUpload)
  })

  test('documents given by URL or inline get no upload link; the status API shows them fetched-later and received', async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    const { id, body } = freshBatch()
    const pdfBytes = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1')
    body.education_items[0].assets[0].asset_data = 'https://documents.example.com/degree.pdf'
    body.education_items[1].assets = [
      {
        asset_id: `${id}-edu-2-inline`,
        asset_type: 'pdf',
        asset_data: `data:application/pdf;base64,${pdfBytes.toString('base64')}`,
      },
    ]
    const response = await t.request('POST', V2_BATCH, { json: body, token })
    assert.equal(response.status, 201, response.text)
    const uploads = (response.body.asset_uploads as Array<{ asset_id: string }>).map((u) => u.asset_id)
    assert.equal(uploads.length, 3)
    assert.ok(!uploads.some((a) => a.includes('-edu-')), `no link for the education documents: ${uploads.join(', ')}`)

    const status = await t.request('GET', statusPath(id), { token })
    assert.equal(status.status, 200, status.text)
    const assetsOf = (credentialId: string) =>
      status.body.items.find((i: { id: string }) => i.id === credentialId).assets
    assert.equal(assetsOf(body.education_items[0].credential_id)[0].state, 'awaiting_fetch')
    const inline = assetsOf(body.education_items[1].credential_id)[0]
    assert.equal(inline.state, 'received')
    assert.equal(inline.bytes, pdfBytes.length)
  })

  test('one Idempotency-Key sent at once with two different ids → one 201, one 409, one submission', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t)
    const headers = { 'idempotency-key': `k-${randomUUID()}` }
    const responses = await Promise.all(
      [v2Body('education'), v2Body('education')].map((json) =>
        t.request('POST', v2Path('education'), { json, token, headers }),
      ),
    )
    assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409], responses.map((r) => r.text).join('\n'))
    assert.equal(await countSubmissions(t, client.partner_id), 1)
  })

  test('requests at once for an id whose submission expired → exactly one new submission, the others replay it', async () => {
    const t = use()
    const { client } = await makePartnerWithToken(t)
    const id = randomUUID()
    const body = v2Body('education', id)
    assert.equal(
      (await t.request('POST', v2Path('education'), { json: body, token: await tokenFor(t, client) })).status,
      201,
    )
    t.clock.advance(t.config.submissionTtlMs + 1000)
    const token = await tokenFor(t, client)
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => t.request('POST', v2Path('education'), { json: body, token })),
    )
    for (const response of responses) assert.equal(response.status, 201, response.text)
    assert.equal(new Set(responses.map((r) => r.body.redirect_uri)).size, 1)
    assert.equal(responses.filter((r) => r.headers.get('idempotent-replayed') === null).length, 1)
    assert.equal(
      await countSubmissions(t, client.partner_id, id),
      2,
      'the expired one (kept for history) and one new one',
    )
  })

  test('all or nothing: a batch whose last row fails to insert leaves no submission, item, asset or idempotency key; sent again, 201', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t)
    const { id, body } = freshBatch()
    const headers = { 'idempotency-key': `k-${randomUUID()}` }
    const tables = { submissions, submissionItems, assets, idempotencyKeys }
    const counts = async () => {
      const result: Record<string, number> = {}
      for (const [name, table] of Object.entries(tables)) result[name] = await t.deps.db.$count(table)
      return result
    }
    const before = await counts()
    // The batch's last asset (the universal credential's) fails to insert, after every other row of the statement.
    const failing = `${id}-uc-1-asset`
    await t.deps.db.execute(
      sql.raw(
        `create function failing_asset() returns trigger language plpgsql as $$ begin if new.partner_asset_id = '${failing}' then raise exception 'simulated failure'; end if; return new; end $$`,
      ),
    )
    await t.deps.db.execute(
      sql.raw('create trigger failing_asset before insert on assets for each row execute function failing_asset()'),
    )
    let failed: any
    try {
      failed = await t.request('POST', V2_BATCH, { json: body, token, headers })
    } finally {
      await t.deps.db.execute(sql.raw('drop trigger failing_asset on assets'))
      await t.deps.db.execute(sql.raw('drop function failing_asset()'))
    }
    assert.equal(failed.status, 500, failed.text)
    assert.equal(failed.body.type, '/problems/internal')
    assert.doesNotMatch(failed.text, /simulated failure/, 'the database error is not shown to the partner')
    const logs = t.takeErrorLogs()
    assert.equal(logs.length, 1, 'the failure is logged once')
    assert.ok(!logs[0]!.includes(body.education_items[0].fields.full_name), 'without the credential’s data')
    assert.deepEqual(await counts(), before, 'nothing of the batch was kept')
    assert.equal((await t.request('GET', statusPath(id), { token })).status, 404)

    const again = await t.request('POST', V2_BATCH, { json: body, token, headers })
    assert.equal(again.status, 201, again.text)
    assert.equal(again.headers.get('idempotent-replayed'), null, 'a new submission, not a replay of a half-stored one')
    assert.equal(again.body.asset_uploads.length, 4)
    assert.equal(await countSubmissions(t, client.partner_id, id), 1)
  })
  test('requests stored together by one statement: each gets its own answer; a taken key fails only its own request', async () => {
    const t = use()
    const client = await makePartner(t)
    const principal = { partnerId: client.partner_id, clientId: client.client_id, scopes: new Set<string>() }
    const taken = `k-${randomUUID()}`
    const first = freshBatch()
    await createSubmission(t.deps, principal, v2BatchDraft(first.body), first.body, taken)
    // Called in one tick: on PostgreSQL the first requests run at once, the others wait and are stored together.
    const batches = Array.from({ length: 9 }, () => freshBatch())
    batches[7] = batches[6]! // the same id and body twice in one group
    const outcomes = await Promise.allSettled(
      batches.map(({ body }, index) =>
        createSubmission(t.deps, principal, v2BatchDraft(body), body, index === 4 ? taken : undefined),
      ),
    )
    const failed = outcomes[4]!
    assert.equal(failed.status, 'rejected')
    assert.equal((failed as PromiseRejectedResult).reason.code, 'id_conflict')
    const created = outcomes.map((o, index) => {
      if (index === 4) return undefined
      assert.equal(o.status, 'fulfilled', String((o as PromiseRejectedResult).reason))
      return (o as PromiseFulfilledResult<Awaited<ReturnType<typeof createSubmission>>>).value
    })
    assert.deepEqual(
      created.map((c, index) => (index === 6 || index === 7 ? 'one of the two' : c?.replayed)),
      [false, false, false, false, undefined, false, 'one of the two', 'one of the two', false],
    )
    assert.deepEqual([created[6]!.replayed, created[7]!.replayed].sort(), [false, true], 'one stored, one replayed')
    assert.equal(created[7]!.submission.id, created[6]!.submission.id)
    for (const [index, c] of created.entries()) {
      if (!c) continue
      assert.deepEqual(await findSubmission(t.deps.db, c.submission.id), c.submission)
      assert.equal((await listItemsOf(t.deps.db, [c.submission.id])).length, 10)
      assert.deepEqual(
        (await listAssetsAwaitingUpload(t.deps.db, c.submission.id)).map((a) => a.id),
        c.awaitingUpload.map((a) => a.id),
      )
      assert.equal(await countSubmissions(t, client.partner_id, batches[index]!.id), 1)
    }
    assert.equal(await countSubmissions(t, client.partner_id, batches[4]!.id), 0)
  })
  test('the same id twice in one group of requests stored together → one new submission, the other replays it', async () => {
    const t = use()
    const client = await makePartner(t)
    const principal = { partnerId: client.partner_id, clientId: client.client_id, scopes: new Set<string>() }
    const batches = Array.from({ length: 6 }, () => freshBatch())
    batches[5] = batches[4]!
    const created = await Promise.all(
      batches.map(({ body }) => createSubmission(t.deps, principal, v2BatchDraft(body), body)),
    )
    assert.deepEqual(
      created.map((c) => c.replayed),
      [false, false, false, false, false, true],
    )
    assert.equal(created[5]!.submission.id, created[4]!.submission.id)
    assert.deepEqual(created[5]!.awaitingUpload, created[4]!.awaitingUpload)
    assert.equal(await countSubmissions(t, client.partner_id), 5)
    assert.equal((await listItemsOf(t.deps.db, [...new Set(created.map((c) => c.submission.id))])).length, 50)
  })
})
