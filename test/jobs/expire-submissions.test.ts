import assert from 'node:assert/strict'
import fs from 'node:fs'
import { it } from 'node:test'
import { eq } from 'drizzle-orm'
import { loadConfig } from '../../src/config.js'
import { openPostgres } from '../../src/db/client.js'
import { assets, submissionItems, submissions } from '../../src/db/schema.js'
import { createDeps } from '../../src/deps.js'
import { expireSubmissions } from '../../src/modules/submissions/index.js'
import type { TestApp } from '../support/app.js'
import { describeEachBlobStore, NOT_ABOUT_THE_STORE, storedKeysOf, uploadDocument } from '../support/blob-stores.js'
import { makePartnerWithToken, tokenFor } from '../support/factories.js'
import { freshBatch, statusPath, V2_BATCH } from '../support/intake-helpers.js'

const HOURS_48 = 48 * 3600 * 1000

async function submitBatch(t: TestApp, token: string) {
  const { id, body } = freshBatch()
  const response = await t.request('POST', V2_BATCH, { json: body, token })
  assert.equal(response.status, 201, response.text)
  return {
    id,
    response: response.body as { asset_uploads: Array<{ asset_id: string; url: string; content_type: string }> },
  }
}

// On each blob store: with S3 the expired submission's objects leave the bucket.
describeEachBlobStore('submission expiry', (use, store) => {
  it('cancels an incomplete submission after SUBMISSION_TTL, deletes its data and documents, once', async () => {
    const t = use()
    const { client, token } = await makePartnerWithToken(t)
    const { id, response } = await submitBatch(t, token)
    const upload = response.asset_uploads[0]!
    assert.equal(upload.content_type, 'application/pdf')
    await uploadDocument(t, upload, fs.readFileSync(new URL('../fixtures/documents/tiny.pdf', import.meta.url)))
    const [submission] = await t.deps.db.select().from(submissions).where(eq(submissions.partnerRef, id))
    const [stored] = await t.deps.db
      .select()
      .from(assets)
      .where(eq(assets.submissionId, submission!.id))
      .then((rows) => rows.filter((r) => r.blobKey))
    assert.ok(stored?.blobKey && (await t.deps.blobs.get(stored.blobKey)))
    assert.deepEqual(await storedKeysOf(t, submission!.id), [stored.blobKey])

    t.clock.advance(HOURS_48 - 1000)
    assert.equal(await expireSubmissions(t.deps, { limit: 10 }), 0, 'not yet expired')
    t.clock.advance(2000)
    assert.equal(await expireSubmissions(t.deps, { limit: 10 }), 1)
    assert.equal(await expireSubmissions(t.deps, { limit: 10 }), 0, 'each submission expires once')

    const status = await t.request('GET', statusPath(id), { token: await tokenFor(t, client) })
    assert.equal(status.body.status, 'canceled')
    assert.equal(status.body.finalized_at, submission!.expiresAt.toISOString())
    const [after] = await t.deps.db.select().from(submissions).where(eq(submissions.id, submission!.id))
    assert.equal(after!.cancelReason, 'expired')
    assert.ok(after!.dataDeletedAt)
    const items = await t.deps.db.select().from(submissionItems).where(eq(submissionItems.submissionId, submission!.id))
    assert.ok(
      items.length > 0 && items.every((i) => i.fields === null && i.partnerChain === null && i.displayTitle === null),
    )
    const assetRows = await t.deps.db.select().from(assets).where(eq(assets.submissionId, submission!.id))
    assert.ok(assetRows.every((a) => a.blobKey === null && a.verification === null))
    assert.deepEqual(assetRows.map((a) => a.state).sort(), ['missing', 'missing', 'missing', 'received'])
    assert.equal(await t.deps.blobs.get(stored.blobKey), null, 'the document is deleted')
    assert.deepEqual(await storedKeysOf(t, submission!.id), [], 'nothing of it is left in the store')
    t.clock.set(new Date())
  })

  it('works in bounded batches', { skip: store === 's3' && NOT_ABOUT_THE_STORE }, async () => {
    const t = use()
    const { token } = await makePartnerWithToken(t)
    for (let i = 0; i < 5; i++) await submitBatch(t, token)
    t.clock.advance(HOURS_48 + 1000)
    const passes = [
      await expireSubmissions(t.deps, { limit: 2 }),
      await expireSubmissions(t.deps, { limit: 2 }),
      await expireSubmissions(t.deps, { limit: 2 }),
    ]
    assert.deepEqual(passes, [2, 2, 1])
    t.clock.set(new Date())
  })

  it('two instances sharing one PostgreSQL expire each submission exactly once', {
    skip: store === 's3' && NOT_ABOUT_THE_STORE,
  }, async (ctx) => {
    const t = use()
    const url = (t.deps.database as { url?: string }).url
    if (t.backend !== 'postgres' || !url) return ctx.skip('PostgreSQL only: PGlite is one process')
    const { token } = await makePartnerWithToken(t)
    for (let i = 0; i < 12; i++) await submitBatch(t, token)
    t.clock.advance(HOURS_48 + 1000)
    const second = await createDeps(loadConfig({ DATA_DIR: t.config.dataDir, LOG_LEVEL: 'silent' }), {
      clock: t.clock,
      database: await openPostgres(url),
      blobs: t.deps.blobs,
    })
    try {
      const drain = async (deps: typeof t.deps) => {
        let total = 0
        for (let n = -1; n !== 0; total += n) n = await expireSubmissions(deps, { limit: 3 })
        return total
      }
      const [a, b] = await Promise.all([drain(t.deps), drain(second)])
      assert.equal(a + b, 12, `instance A expired ${a}, instance B ${b}`)
      const remaining = await t.deps.db.select().from(submissions).where(eq(submissions.status, 'incomplete'))
      assert.equal(remaining.length, 0)
    } finally {
      // Everything the second instance opened: its database pool and its client directory's LISTEN connection.
      await second.close()
      t.clock.set(new Date())
    }
  })
})
