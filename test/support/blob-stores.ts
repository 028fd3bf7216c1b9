import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, describe } from 'node:test'
import { eq } from 'drizzle-orm'
import { assets } from '../../src/db/schema.js'
import { perform as completeDirectUploads } from '../../src/jobs/complete-direct-uploads.js'
import { takesDirectUploads } from '../../src/storage/blob-store.js'
import type { S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { describeEachBackend, startTestApp, type TestApp, type TestAppOptions } from './app.js'
import { backends } from './databases.js'
import { startS3Server, type TestS3 } from './s3-server.js'

/**
 * The suites that store, show, export and delete documents run on both blob stores: the
 * filesystem store on each database (as `describeEachBackend`), and S3 (BLOB_STORE=s3 on an
 * s3rver of their own) once, on PostgreSQL when the run has it (what an S3 deployment runs on),
 * else PGlite. The helpers below do what differs: how a partner's upload arrives, and what the
 * store holds.
 */
export type BlobStoreKind = 'fs' | 's3'

/** Why a test of such a suite runs on the filesystem store only: `{ skip: store === 's3' && NOT_ABOUT_THE_STORE }`. */
export const NOT_ABOUT_THE_STORE = 'not about the blob store: runs on the filesystem store only'

export function describeEachBlobStore(
  name: string,
  body: (use: () => TestApp, store: BlobStoreKind) => void,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): void {
  describeEachBackend(name, (use) => body(use, 'fs'), env, options)
  const backend = backends().includes('postgres') ? 'postgres' : 'pglite'
  describe(`${name} [s3, ${backend}]`, () => {
    let s3: TestS3 | undefined
    let current: TestApp | undefined
    before(async () => {
      s3 = await startS3Server()
      current = await startTestApp(backend, { ...env, ...s3.env }, undefined, options)
    })
    after(async () => {
      const errors = current?.takeErrorLogs() ?? []
      const mismatches = [...new Set(current?.contractMismatches ?? [])]
      await current?.close()
      await s3?.close()
      assert.deepEqual(errors, [], 'nothing in this suite logged an error the test did not expect')
      assert.deepEqual(mismatches, [], 'every answer in this suite is the one /openapi.json documents')
    })
    body(() => {
      if (!current) throw new Error('test app not started')
      return current
    }, 's3')
  })
}

/**
 * Uploads `bytes` through an upload link of an intake answer as the partner does, and returns once
 * Credport has taken the document: through Credport's own PUT (filesystem store: 201), or with
 * S3 straight to the presigned URL, then passes of the completion job (as every instance runs it
 * every 2 s) until it has looked at this asset.
 */
export async function uploadDocument(
  t: TestApp,
  upload: { url: string; content_type: string },
  bytes: Buffer,
): Promise<void> {
  const url = new URL(upload.url)
  if (!takesDirectUploads(t.deps.blobs)) {
    const put = await t.request('PUT', `${url.pathname}${url.search}`, {
      body: bytes,
      headers: { 'content-type': upload.content_type },
    })
    assert.equal(put.status, 201, put.text)
    return
  }
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': upload.content_type },
    body: new Uint8Array(bytes),
  })
  assert.equal(response.status, 200, await response.text())
  const assetId = /\/uploads\/([^/]+)$/.exec(url.pathname)?.[1]
  assert.ok(assetId, `an awaited key in ${url.pathname}`)
  for (let pass = 0; ; pass++) {
    await completeDirectUploads(t.deps, { limit: 50 })
    const [row] = await t.deps.db.select({ state: assets.state }).from(assets).where(eq(assets.id, assetId))
    if (row?.state !== 'awaiting_upload') return
    assert.ok(pass < 20, 'the completion job did not take the upload')
  }
}

/** One object (or file) the blob store holds. */
export interface StoredObject {
  key: string
  bytes: Buffer
}

function filesUnder(root: string, label: string): StoredObject[] {
  if (!fs.existsSync(root)) return []
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name)
      return { key: `${label}${path.relative(root, full)}`, bytes: fs.readFileSync(full) }
    })
}

/**
 * Everything the app's blob store holds: the files under DATA_DIR/blobs, or every object of the
 * bucket under S3_PREFIX and the files of the S3 store's spool folder (DATA_DIR/s3-spool).
 */
export async function storedObjects(t: TestApp): Promise<StoredObject[]> {
  if (!takesDirectUploads(t.deps.blobs)) return filesUnder(path.join(t.config.dataDir, 'blobs'), '')
  const store = t.deps.blobs as S3BlobStore
  const { ListObjectsV2Command, GetObjectCommand } = await import('@aws-sdk/client-s3')
  const found: StoredObject[] = []
  let token: string | undefined
  do {
    const page = await store.client.send(
      new ListObjectsV2Command({ Bucket: store.bucket, Prefix: store.settings.prefix, ContinuationToken: token }),
    )
    for (const object of page.Contents ?? []) {
      const got = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: object.Key! }))
      found.push({
        key: object.Key!.slice(store.settings.prefix.length),
        bytes: Buffer.from(await got.Body!.transformToByteArray()),
      })
    }
    token = page.NextContinuationToken
  } while (token)
  return [...found, ...filesUnder(path.join(t.config.dataDir, 's3-spool'), 's3-spool/')]
}

/** The keys of the store's documents of one submission (`submissions/{id}/…`), on either store. */
export async function storedKeysOf(t: TestApp, submissionId: string): Promise<string[]> {
  return (await storedObjects(t))
    .map((object) => object.key)
    .filter((key) => key.startsWith(`submissions/${submissionId}/`))
}

/** Files a write left in the S3 store's spool folder (none on the filesystem store): every write removes its own. */
export function spooledFiles(t: TestApp): string[] {
  return filesUnder(path.join(t.config.dataDir, 's3-spool'), 's3-spool/').map((file) => file.key)
}
