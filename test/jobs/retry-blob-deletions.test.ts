import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'
import { after, test } from 'node:test'
import { inArray, sql } from 'drizzle-orm'
import { blobDeletions, holders, submissionItems } from '../../src/db/schema.js'
import { perform as completeDirectUploads } from '../../src/jobs/complete-direct-uploads.js'
import { perform as retryBlobDeletions } from '../../src/jobs/retry-blob-deletions.js'
import { deleteHolderAccount } from '../../src/modules/holder/account/delete-account.js'
import {
  acceptByHolder,
  bindHolder,
  declineByHolder,
  decideByHolder,
  expireSubmissions,
  removeCredentialByHolder,
  withdrawByIssuer,
} from '../../src/modules/submissions/index.js'
import { FIRST_TRY_GRACE_MS, scheduleBlobDeletions } from '../../src/storage/blob-deletions.js'
import { takesDirectUploads } from '../../src/storage/blob-store.js'
import { describeEachBackend, type TestApp } from '../support/app.js'
import {
  assetRow,
  makeSubmissionWithAssets,
  readFixture,
  uploadThroughLink,
  type SubmissionWithAssets,
} from '../support/asset-factory.js'
import { startS3Server } from '../support/s3-server.js'

const PDF = readFixture('documents/tiny.pdf')
const s3 = await startS3Server()
after(() => s3.close())

/** A submission with one PDF stored the way its store takes documents (S3: PUT to the bucket, then completed). */
async function storedDocument(t: TestApp, expiresAt?: Date): Promise<SubmissionWithAssets & { key: string }> {
  const made = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }], expiresAt })
  const asset = made.assets[0]!
  const link = await t.deps.uploads.issue(asset)
  if (takesDirectUploads(t.deps.blobs)) {
    const put = await fetch(link.url, {
      method: 'PUT',
      headers: { 'content-type': link.content_type },
      body: new Uint8Array(PDF),
    })
    assert.equal(put.status, 200)
    await completeDirectUploads(t.deps, { limit: 50 })
  } else {
    assert.equal((await uploadThroughLink(t, link, 'pdf')).status, 201)
  }
  const row = await assetRow(t, asset.id)
  assert.equal(row.state, 'received')
  return { ...made, key: row.blobKey! }
}

async function boundTo(t: TestApp, submissionId: string): Promise<string> {
  const holderId = randomUUID()
  await t.deps.db.insert(holders).values({ id: holderId, email: `${holderId}@example.test` })
  await bindHolder(t.deps, { submissionId, holderId })
  return holderId
}

/** Every transition that purges documents, each on a submission of its own with one stored document. */
const PURGES: Record<string, (t: TestApp) => Promise<{ key: string; purge: () => Promise<unknown> }>> = {
  expiry: async (t) => {
    const doc = await storedDocument(t, new Date(t.clock.now().getTime() + 60_000))
    return {
      key: doc.key,
      purge: async () => {
        t.clock.advance(61_000)
        assert.ok((await expireSubmissions(t.deps, { limit: 100 })) >= 1)
      },
    }
  },
  decline: async (t) => {
    const doc = await storedDocument(t)
    const holderId = await boundTo(t, doc.submissionId)
    return { key: doc.key, purge: () => declineByHolder(t.deps, { submissionId: doc.submissionId, holderId }) }
  },
  'per-item decline': async (t) => {
    const doc = await storedDocument(t)
    // A second credential, accepted; the one with the document is declined.
    const [kept] = await t.deps.db
      .insert(submissionItems)
      .values({
        id: randomUUID(),
        submissionId: doc.submissionId,
        partnerId: doc.partnerId,
        position: 1,
        partnerItemId: `ITEM-${randomUUID()}`,
        credentialType: 'microcredential',
        fields: { full_name: 'Test Holder' },
      })
      .returning()
    const holderId = await boundTo(t, doc.submissionId)
    return {
      key: doc.key,
      purge: async () => {
        const row = await decideByHolder(t.deps, {
          submissionId: doc.submissionId,
          holderId,
          acceptedItemIds: [kept!.id],
        })
        assert.equal(row.status, 'verified')
      },
    }
  },
  withdrawal: async (t) => {
    const doc = await storedDocument(t)
    return { key: doc.key, purge: () => withdrawByIssuer(t.deps, { submissionId: doc.submissionId }) }
  },
  'credential removal': async (t) => {
    const doc = await storedDocument(t)
    const holderId = await boundTo(t, doc.submissionId)
    await acceptByHolder(t.deps, { submissionId: doc.submissionId, holderId })
    return { key: doc.key, purge: () => removeCredentialByHolder(t.deps, { holderId, itemId: doc.itemId }) }
  },
  'account deletion': async (t) => {
    const doc = await storedDocument(t)
    const holderId = await boundTo(t, doc.submissionId)
    return { key: doc.key, purge: () => deleteHolderAccount(t.deps, holderId) }
  },
}

async function pendingRows(t: TestApp, keys: string[]) {
  return t.deps.db.select().from(blobDeletions).where(inArray(blobDeletions.key, keys))
}

async function exists(t: TestApp, key: string): Promise<boolean> {
  const stream = await t.deps.blobs.get(key)
  stream?.destroy()
  return stream !== null
}

/**
 * Makes the filesystem store refuse deletes for real: each submission folder read-only. Root,
 * whom modes do not stop, gets a file where the submissions folder was (ENOTDIR), the folder kept
 * aside. Returns the undo.
 */
function breakFsStore(t: TestApp): () => void {
  const folder = path.join(t.config.dataDir, 'blobs', 'submissions')
  if (process.getuid?.() !== 0) {
    const folders = fs.readdirSync(folder).map((name) => path.join(folder, name))
    for (const each of folders) fs.chmodSync(each, 0o500)
    return () => {
      for (const each of folders) fs.chmodSync(each, 0o700)
    }
  }
  fs.renameSync(folder, `${folder}.away`)
  fs.writeFileSync(folder, '')
  return () => {
    fs.rmSync(folder)
    fs.renameSync(`${folder}.away`, folder)
  }
}

function outboxSuite(label: string, env: Record<string, string>, outage: (t: TestApp) => Promise<() => Promise<void>>) {
  describeEachBackend(
    `blob deletes are retried, never forgotten (${label})`,
    (use) => {
      test('every purge deletes its documents at once and leaves no row behind (nor does any upload)', async () => {
        const t = use()
        for (const [name, prepare] of Object.entries(PURGES)) {
          const { key, purge } = await prepare(t)
          assert.ok(await exists(t, key), name)
          await purge()
          assert.equal(await exists(t, key), false, `${name}: the blob is deleted`)
          assert.deepEqual(await pendingRows(t, [key]), [], `${name}: no row`)
        }
        const [count] = await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(blobDeletions)
        assert.equal(count!.n, 0, 'the uploads and completions left no row either')
      })

      test('deletes the store refuses stay recorded with their blobs; once it answers, the job deletes both', async () => {
        const t = use()
        const prepared = []
        for (const [name, prepare] of Object.entries(PURGES)) prepared.push({ name, ...(await prepare(t)) })
        const keys = prepared.map((p) => p.key)

        const restore = await outage(t)
        let restored = false
        try {
          // The purges themselves succeed: the data is gone, the documents wait for the store.
          for (const { purge } of prepared) await purge()
          const rows = await pendingRows(t, keys)
          assert.deepEqual(rows.map((r) => r.key).sort(), [...keys].sort())
          for (const row of rows) {
            assert.equal(row.attempts, 1)
            assert.match(row.lastError ?? '', /^[A-Za-z0-9_.-]+$/, 'an error class, not a message')
          }
          // The job, while the store is still down: nothing deleted, each row put back for later.
          t.clock.advance(2 * 60_000)
          assert.equal(await retryBlobDeletions(t.deps, { limit: 100 }), 0)
          assert.deepEqual(
            (await pendingRows(t, keys)).map((r) => r.attempts),
            keys.map(() => 2),
          )
          await restore()
          restored = true
          for (const key of keys) assert.ok(await exists(t, key), 'the blob is still there')
          // Not before its time (the backoff), then all of them.
          assert.equal(await retryBlobDeletions(t.deps, { limit: 100 }), 0, 'waits for its backoff')
          t.clock.advance(10 * 60_000)
          assert.equal(await retryBlobDeletions(t.deps, { limit: 100 }), keys.length)
          assert.deepEqual(await pendingRows(t, keys), [])
          for (const key of keys) assert.equal(await exists(t, key), false, 'the blob is deleted')
        } finally {
          if (!restored) await restore()
          t.clock.set(new Date())
        }
      })

      test('two passes at once (two instances) claim each row once', async () => {
        const t = use()
        const keys = Array.from({ length: 8 }, (_, i) => `submissions/${randomUUID()}/orphan-${i}`)
        for (const key of keys) await t.deps.blobs.put(key, Readable.from([PDF]))
        // Recorded by a transaction whose process then stopped: nobody tried them yet.
        await scheduleBlobDeletions(t.deps.db, keys, t.clock.now())
        try {
          assert.equal(await retryBlobDeletions(t.deps, { limit: 100 }), 0, 'left to the purge at first')
          t.clock.advance(FIRST_TRY_GRACE_MS + 1000)
          const passes = await Promise.all([
            retryBlobDeletions(t.deps, { limit: 5 }),
            retryBlobDeletions(t.deps, { limit: 5 }),
            retryBlobDeletions(t.deps, { limit: 5 }),
          ])
          // Each row deleted by exactly one pass: more would mean a row claimed twice.
          const deleted = passes.reduce((sum, n) => sum + n, 0) + (await retryBlobDeletions(t.deps, { limit: 100 }))
          assert.equal(deleted, keys.length)
          assert.deepEqual(await pendingRows(t, keys), [])
          for (const key of keys) assert.equal(await exists(t, key), false)
        } finally {
          t.clock.set(new Date())
        }
      })
    },
    env,
  )
}

outboxSuite('S3, the server stopped', s3.env, async () => {
  await s3.stop()
  return () => s3.start()
})

outboxSuite('filesystem, the folder unwritable', {}, async (t) => {
  const undo = breakFsStore(t)
  return async () => undo()
})
