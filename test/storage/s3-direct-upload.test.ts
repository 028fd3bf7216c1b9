import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { after, before, describe, it } from 'node:test'
import { S3RequestPresigner } from '@aws-sdk/s3-request-presigner'
import { loadConfig } from '../../src/config.js'
import { ManualClock } from '../../src/lib/clock.js'
import { awaitedUploadKey, UploadLinkSigner } from '../../src/modules/assets/index.js'
import { openS3BlobStore, type S3BlobStore } from '../../src/storage/s3-blob-store.js'
import { readFixture } from '../support/asset-factory.js'
import { startS3Server, type TestS3 } from '../support/s3-server.js'

const PDF = readFixture('documents/tiny.pdf')

/** The signature the AWS SDK's own presigner makes for the request a presigned URL describes. */
async function sdkSignature(store: S3BlobStore, url: URL, headers: Record<string, string>): Promise<string> {
  const presigner = new S3RequestPresigner({
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    region: store.settings.region,
    sha256: store.client.config.sha256,
  })
  const amzDate = url.searchParams.get('X-Amz-Date')!
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  )
  const signed = await presigner.presign(
    {
      method: 'PUT',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      // What the URL carries besides its own signature parameters (e.g. the SDK's `x-id`).
      query: Object.fromEntries([...url.searchParams].filter(([name]) => !name.startsWith('X-Amz-'))),
      headers: { host: url.host, ...headers },
    },
    {
      signingDate,
      expiresIn: Number(url.searchParams.get('X-Amz-Expires')),
      // The SDK leaves content-type unsigned unless asked.
      signableHeaders: new Set(Object.keys(headers)),
    },
  )
  assert.equal(signed.query!['X-Amz-SignedHeaders'], url.searchParams.get('X-Amz-SignedHeaders'))
  return signed.query!['X-Amz-Signature'] as string
}

describe('direct uploads to S3 through presigned URLs', () => {
  let s3: TestS3
  let store: S3BlobStore
  const spool = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR ?? os.tmpdir(), 'credport-presign-'))
  const clock = new ManualClock(new Date())
  const ttlSeconds = loadConfig({ UPLOAD_LINK_TTL: '15m' }).uploadLinkTtlSeconds
  let signer: UploadLinkSigner
  before(async () => {
    s3 = await startS3Server()
    store = await openS3BlobStore(s3.settings, spool)
    signer = new UploadLinkSigner({
      secret: 'test-secret',
      clock,
      publicUrl: 'http://credport.test',
      ttlSeconds,
      maxBytes: 1024 * 1024,
      direct: { presignPut: store.presignPut.bind(store) },
    })
  })
  after(async () => {
    await store?.close()
    await s3?.close()
    fs.rmSync(spool, { recursive: true, force: true })
  })

  it('asset_uploads[].url is a presigned PUT to the awaited key, signing content-type, expiring after UPLOAD_LINK_TTL', async () => {
    const id = randomUUID()
    const link = await signer.issue({ id, partnerAssetId: 'asset-1', assetType: 'pdf' })
    const url = new URL(link.url)
    assert.equal(url.origin, s3.endpoint, 'the bucket, not Credport')
    assert.equal(url.pathname, `/${s3.settings.bucket}/credport/${awaitedUploadKey(id)}`)
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-type;host')
    assert.equal(url.searchParams.get('X-Amz-Expires'), String(ttlSeconds))
    assert.equal(ttlSeconds, 900)
    assert.equal(new Date(link.expires_at).getTime(), Math.floor(clock.now().getTime() / 1000) * 1000 + 900_000)
    assert.equal(link.content_type, 'application/pdf')
    assert.equal(
      url.searchParams.get('X-Amz-Signature'),
      await sdkSignature(store, url, { 'content-type': 'application/pdf' }),
      'the AWS SDK signs the same request the same way',
    )
    assert.match(url.searchParams.get('X-Amz-Credential')!, /^S3RVER\/\d{8}\/us-east-1\/s3\/aws4_request$/)
  })

  it('signs the exact length where it is known', async () => {
    const raw = await store.presignPut('uploads/sized', {
      contentType: 'image/png',
      contentLength: 1234,
      expiresInSeconds: 60,
      now: new Date('2026-12-07T05:00:00Z'),
    })
    const url = new URL(raw)
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host')
    assert.equal(
      url.searchParams.get('X-Amz-Signature'),
      await sdkSignature(store, url, { 'content-type': 'image/png', 'content-length': '1234' }),
    )
  })

  it("the partner's plain PUT through the URL lands in the bucket, not in Credport", async () => {
    const id = randomUUID()
    const link = await signer.issue({ id, partnerAssetId: 'asset-2', assetType: 'pdf' })
    const response = await fetch(link.url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: new Uint8Array(PDF),
    })
    assert.equal(response.status, 200, await response.text())
    const head = await store.head(awaitedUploadKey(id))
    assert.equal(head?.bytes, PDF.length)
    const stored = await store.get(awaitedUploadKey(id))
    assert.equal(
      createHash('sha256')
        .update(await text(stored!))
        .digest('hex'),
      createHash('sha256').update(PDF.toString()).digest('hex'),
    )
  })

  it('an expired URL is refused by the store', async () => {
    const raw = await store.presignPut(awaitedUploadKey(randomUUID()), {
      contentType: 'application/pdf',
      expiresInSeconds: 60,
      now: new Date(Date.now() - 120_000),
    })
    const response = await fetch(raw, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: new Uint8Array(PDF),
    })
    assert.equal(response.status, 403)
    assert.match(await response.text(), /expired/i)
  })
})
