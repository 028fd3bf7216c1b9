import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { buffer } from 'node:stream/consumers'
import { test } from 'node:test'
import { describeEachBackend, startTestApp, type TestApp } from '../support/app.js'
import {
  assetRow,
  makeSubmissionWithAssets,
  pdfHeadedBuffer,
  pdfHeadedStream,
  readFixture,
  storedBlobKeys,
  uploadPath,
} from '../support/asset-factory.js'
import { DEFAULT_MAX_WAITING_BYTES, OpenCertVerifier } from '../../src/modules/assets/opencerts-verifier.js'
import { assertProblem } from '../support/security-suite.js'

const PDF = readFixture('documents/tiny.pdf')
const PNG = readFixture('documents/pixel.png')
const JPEG = readFixture('documents/pixel.jpg')
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const MAX = 10 * 1024 * 1024

function put(t: TestApp, url: string, body: Buffer | string, contentType?: string) {
  return t.request('PUT', url, { body, headers: contentType ? { 'content-type': contentType } : {} })
}

/** A link with one query member replaced. */
function withQuery(url: string, name: string, value: string): string {
  const parsed = new URL(url, 'http://x')
  parsed.searchParams.set(name, value)
  return `${parsed.pathname}${parsed.search}`
}

function incoming(t: TestApp): string[] {
  return fs.readdirSync(path.join(t.config.dataDir, 'blobs', '.incoming'))
}

async function oneAsset(
  t: TestApp,
  assetType: 'pdf' | 'png' | 'jpg' | 'open_cert',
  extra: { status?: 'incomplete' | 'verified' | 'canceled'; expiresAt?: Date } = {},
) {
  const made = await makeSubmissionWithAssets(t, { assets: [{ assetType }], ...extra })
  return { ...made, asset: made.assets[0]! }
}

describeEachBackend(
  'PUT /api/partner/v2/uploads/{assetId}',
  (use) => {
    for (const [assetType, bytes, contentType] of [
      ['pdf', PDF, 'application/pdf'],
      ['png', PNG, 'image/PNG; name=pixel'],
      ['jpg', JPEG, 'image/jpeg'],
    ] as const) {
      test(`a real ${assetType} is stored: 201, received, its SHA-256, readable from the blob store`, async () => {
        const t = use()
        const { asset } = await oneAsset(t, assetType)
        const response = await put(t, await uploadPath(t, asset), bytes, contentType)
        assert.equal(response.status, 201, response.text)
        assert.deepEqual(response.body, {
          asset_id: asset.partnerAssetId,
          state: 'received',
          bytes: bytes.length,
          sha256: sha256(bytes),
        })
        const row = await assetRow(t, asset.id)
        assert.equal(row.state, 'received')
        assert.equal(row.sha256, sha256(bytes))
        assert.equal(row.bytes, bytes.length)
        assert.equal(row.receivedAt?.getTime(), t.clock.now().getTime())
        assert.match(row.blobKey ?? '', new RegExp(`^submissions/${row.submissionId}/${row.id}-[0-9a-f]+$`))
        const stream = await t.deps.blobs.get(row.blobKey!)
        assert.ok(stream)
        assert.deepEqual(await buffer(stream), bytes)
      })
    }

    test('PNG bytes declared pdf → 415, nothing kept, and the right bytes are still accepted', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'pdf')
      const response = await put(t, await uploadPath(t, asset), PNG, 'application/pdf')
      assertProblem(response, 415, 'unsupported_media_type')
      assert.match(response.body.detail, /PNG/)
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.deepEqual(storedBlobKeys(t, submissionId), [])
      assert.equal((await put(t, await uploadPath(t, asset), PDF, 'application/pdf')).status, 201)
    })

    test('JPEG bytes declared png, and text declared jpg → 415', async () => {
      const t = use()
      const { asset: png } = await oneAsset(t, 'png')
      assertProblem(await put(t, await uploadPath(t, png), JPEG, 'image/png'), 415, 'unsupported_media_type')
      const { asset: jpg } = await oneAsset(t, 'jpg')
      assertProblem(
        await put(t, await uploadPath(t, jpg), 'not an image at all', 'image/jpeg'),
        415,
        'unsupported_media_type',
      )
      assertProblem(
        await put(t, await uploadPath(t, jpg), Buffer.alloc(0), 'image/jpeg'),
        415,
        'unsupported_media_type',
      )
    })

    test('a Content-Type other than the declared type’s → 415 naming the expected one', async () => {
      const t = use()
      const { asset } = await oneAsset(t, 'pdf')
      for (const contentType of [
        'image/png',
        'application/octet-stream',
        'application/json',
        'text/plain',
        undefined,
      ]) {
        const response = await put(t, await uploadPath(t, asset), PDF, contentType)
        assertProblem(response, 415, 'unsupported_media_type')
        assert.match(response.body.detail, /application\/pdf/)
      }
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
    })

    test('declared Content-Length above the limit → 413 before reading; the asset still takes a correct upload', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'pdf')
      const response = await put(
        t,
        await uploadPath(t, asset),
        await pdfHeadedBuffer(15 * 1024 * 1024),
        'application/pdf',
      )
      assertProblem(response, 413, 'body_too_large')
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.deepEqual(storedBlobKeys(t, submissionId), [])
      assert.equal((await put(t, await uploadPath(t, asset), PDF, 'application/pdf')).status, 201)
    })

    test('a streamed body (no Content-Length) passing the limit → 413, reading stops, nothing stored', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'pdf')
      const response = await fetch(new URL(await uploadPath(t, asset), t.baseUrl), {
        method: 'PUT',
        headers: { 'content-type': 'application/pdf' },
        body: pdfHeadedStream(15 * 1024 * 1024) as unknown as BodyInit,
        duplex: 'half',
      } as RequestInit)
      assert.equal(response.status, 413, await response.clone().text())
      assert.equal((await response.json()).type, '/problems/body_too_large')
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.deepEqual(storedBlobKeys(t, submissionId), [])
      assert.deepEqual(incoming(t), [])
      const ok = await put(t, await uploadPath(t, asset), PDF, 'application/pdf')
      assert.equal(ok.status, 201)
    })

    test('exactly the limit is accepted', async () => {
      const t = use()
      const { asset } = await oneAsset(t, 'pdf')
      const response = await put(t, await uploadPath(t, asset), await pdfHeadedBuffer(MAX), 'application/pdf')
      assert.equal(response.status, 201, response.text)
      assert.equal(response.body.bytes, MAX)
    })

    test('an expired link → 403 saying it expired and how to get a fresh one', async () => {
      const t = use()
      const { asset } = await oneAsset(t, 'pdf')
      const url = await uploadPath(t, asset)
      const start = t.clock.now()
      try {
        t.clock.advance(t.config.uploadLinkTtlSeconds * 1000 + 1000)
        const response = await put(t, url, PDF, 'application/pdf')
        assertProblem(response, 403, 'forbidden')
        assert.match(response.body.detail, /expired/)
        assert.match(response.body.detail, /send the submission again/i)
      } finally {
        t.clock.set(start)
      }
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
    })

    test('a tampered or incomplete link → 403 (signature, asset id, type, max, expires, missing sig)', async () => {
      const t = use()
      const { assets } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }, { assetType: 'pdf' }] })
      const [asset, other] = assets as [(typeof assets)[0], (typeof assets)[0]]
      const url = await uploadPath(t, asset)
      const query = new URL(url, 'http://x').searchParams
      const sig = query.get('sig')!
      const tampered = [
        withQuery(url, 'sig', `${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`),
        url.replace(asset.id, other.id),
        withQuery(url, 'type', 'png'),
        withQuery(url, 'max', String(Number(query.get('max')) * 2)),
        withQuery(url, 'expires', String(Number(query.get('expires')) + 86_400)),
        url.replace(/&sig=[^&]*/, ''),
        url.split('?')[0]!,
      ]
      for (const link of tampered) {
        const response = await put(t, link, PDF, 'application/pdf')
        assertProblem(response, 403, 'forbidden')
        assert.doesNotMatch(response.body.instance, /sig=/, 'the problem never echoes the signature')
      }
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.equal((await assetRow(t, other.id)).state, 'awaiting_upload')
    })

    test('a validly signed link whose asset no longer exists → 404', async () => {
      const t = use()
      const link = await t.deps.uploads.issue({ id: randomUUID(), partnerAssetId: 'gone', assetType: 'pdf' })
      assertProblem(
        await put(t, new URL(link.url).pathname + new URL(link.url).search, PDF, 'application/pdf'),
        404,
        'not_found',
      )
    })

    test('a second upload of the same asset → 409; the first document stays', async () => {
      const t = use()
      const { asset } = await oneAsset(t, 'pdf')
      const url = await uploadPath(t, asset)
      assert.equal((await put(t, url, PDF, 'application/pdf')).status, 201)
      const again = await put(t, url, PDF, 'application/pdf')
      assertProblem(again, 409, 'conflict')
      assert.match(again.body.detail, /already uploaded/)
      assert.equal((await assetRow(t, asset.id)).sha256, sha256(PDF))
    })

    test('two concurrent uploads of one asset → exactly one 201, one 409, one blob kept', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'pdf')
      const url = await uploadPath(t, asset)
      const bodies = [await pdfHeadedBuffer(3 * 1024 * 1024), await pdfHeadedBuffer(3 * 1024 * 1024 + 7)]
      const responses = await Promise.all(bodies.map((body) => put(t, url, body, 'application/pdf')))
      const statuses = responses.map((r) => r.status).sort()
      assert.deepEqual(statuses, [201, 409], responses.map((r) => r.text).join('\n'))
      const winner = responses.find((r) => r.status === 201)!
      const row = await assetRow(t, asset.id)
      assert.equal(row.sha256, winner.body.sha256)
      assert.deepEqual(storedBlobKeys(t, submissionId), [row.blobKey])
      assert.deepEqual(
        await buffer((await t.deps.blobs.get(row.blobKey!))!),
        bodies[winner.body.bytes === bodies[0]!.length ? 0 : 1],
      )
    })

    test('a submission that is canceled, verified or past its expiry takes no upload → 409', async () => {
      const t = use()
      for (const extra of [
        { status: 'canceled' as const },
        { status: 'verified' as const },
        { expiresAt: new Date(t.clock.now().getTime() - 1000) },
      ]) {
        const { asset } = await oneAsset(t, 'pdf', extra)
        const response = await put(t, await uploadPath(t, asset), PDF, 'application/pdf')
        assertProblem(response, 409, 'conflict')
        assert.match(response.body.detail, /submission/)
        assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      }
    })

    test('an asset fetched from a URL cannot be uploaded → 409', async () => {
      const t = use()
      const { assets } = await makeSubmissionWithAssets(t, {
        assets: [{ assetType: 'pdf', source: 'url', sourceUrl: 'https://docs.example.edu/a.pdf' }],
      })
      assertProblem(await put(t, await uploadPath(t, assets[0]!), PDF, 'application/pdf'), 409, 'conflict')
    })

    test('a client that goes away mid-upload leaves no blob and the asset awaiting its upload', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'pdf')
      const url = new URL(await uploadPath(t, asset), t.baseUrl)
      await new Promise<void>((resolve) => {
        const request = http.request(url, {
          method: 'PUT',
          headers: { 'content-type': 'application/pdf', 'content-length': String(2 * 1024 * 1024) },
        })
        request.on('error', () => resolve())
        request.write(PDF.subarray(0, 300))
        request.write(Buffer.alloc(256 * 1024, 0x20), () => setTimeout(() => request.destroy(), 100))
        request.on('close', () => resolve())
      })
      for (let i = 0; i < 50 && incoming(t).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 100))
      assert.deepEqual(incoming(t), [])
      assert.deepEqual(storedBlobKeys(t, submissionId), [])
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
      assert.equal((await put(t, await uploadPath(t, asset), PDF, 'application/pdf')).status, 201)
    })

    test('OpenCerts: a wrapped document → 201 verified, the verification stored', async () => {
      const t = use()
      const { asset } = await oneAsset(t, 'open_cert')
      const bytes = readFixture('opencerts/wrapped.json')
      const response = await put(t, await uploadPath(t, asset), bytes, 'application/json; charset=utf-8')
      assert.equal(response.status, 201, response.text)
      assert.deepEqual(response.body, {
        asset_id: asset.partnerAssetId,
        state: 'verified',
        bytes: bytes.length,
        sha256: sha256(bytes),
      })
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'verified')
      assert.equal(row.rejectReason, null)
      assert.equal(row.verification?.status, 'verified')
      assert.equal(row.verification?.issuer_identity, 'not_checked')
    })

    test('OpenCerts: one field altered → 201, rejected integrity_failed; the sample stub → rejected not_wrapped', async () => {
      const t = use()
      for (const [fixture, reason] of [
        ['opencerts/tampered.json', 'integrity_failed'],
        ['opencerts/stub.json', 'not_wrapped'],
      ] as const) {
        const { asset } = await oneAsset(t, 'open_cert')
        const response = await put(t, await uploadPath(t, asset), readFixture(fixture), 'application/json')
        assert.equal(response.status, 201, response.text)
        assert.equal(response.body.state, 'rejected')
        assert.equal(response.body.reason, reason)
        const row = await assetRow(t, asset.id)
        assert.equal(row.state, 'rejected')
        assert.equal(row.rejectReason, reason)
        assert.equal(row.verification?.reason, reason)
        assert.ok(row.blobKey, 'the document is kept, to be shown with its verdict')
      }
    })

    test('OpenCerts: while too many documents wait for verification → 503 with Retry-After, nothing kept; the same link works later', async () => {
      const t = use()
      const { asset, submissionId } = await oneAsset(t, 'open_cert')
      const usual = t.deps.openCerts
      // A verifier that lets one document wait, kept busy with a large one.
      t.deps.openCerts = new OpenCertVerifier(1)
      try {
        const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, `value ${i}`]))
        const busy = t.deps.openCerts.inspect(Buffer.from(JSON.stringify({ data, signature: {} })))
        const bytes = readFixture('opencerts/wrapped.json')
        const refused = await put(t, await uploadPath(t, asset), bytes, 'application/json')
        assertProblem(refused, 503, 'service_unavailable')
        assert.equal(refused.headers.get('retry-after'), '5')
        assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
        assert.deepEqual(storedBlobKeys(t, submissionId), [])
        await busy
        const response = await put(t, await uploadPath(t, asset), bytes, 'application/json')
        assert.equal(response.status, 201, response.text)
        assert.equal(response.body.state, 'verified')
      } finally {
        await t.deps.openCerts.close()
        t.deps.openCerts = usual
      }
    })

    test('OpenCerts: a body that is not a JSON object → 415', async () => {
      const t = use()
      for (const body of ['not json', '[1, 2]', '{"truncated": ', '']) {
        const { asset, submissionId } = await oneAsset(t, 'open_cert')
        assertProblem(await put(t, await uploadPath(t, asset), body, 'application/json'), 415, 'unsupported_media_type')
        assert.equal((await assetRow(t, asset.id)).state, 'awaiting_upload')
        assert.deepEqual(storedBlobKeys(t, submissionId), [])
      }
    })
  },
  { UPLOAD_MAX_BYTES: String(MAX) },
)

test('the OpenCerts verifier lets a document of the largest size wait behind another: its bound follows UPLOAD_MAX_BYTES', async () => {
  for (const [limit, expected] of [
    ['100mb', 200 * 1024 * 1024],
    ['1mb', DEFAULT_MAX_WAITING_BYTES],
  ] as const) {
    const t = await startTestApp('pglite', { UPLOAD_MAX_BYTES: limit })
    try {
      assert.equal(t.deps.openCerts.maxWaitingBytes, expected, limit)
      const largest = t.config.uploadMaxBytes
      assert.equal(t.deps.openCerts.hasRoomFor(largest), true)
    } finally {
      await t.close()
    }
  }
})
