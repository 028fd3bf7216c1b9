import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'
import { test } from 'node:test'
import { DocumentRejectedError } from '../../src/modules/assets/document-meter.js'
import { ingestDocument, storeInlineDocument } from '../../src/modules/assets/ingest.js'
import { describeEachBlobStore, spooledFiles, storedKeysOf } from '../support/blob-stores.js'
import { assetRow, makeSubmissionWithAssets, pdfHeadedStream, readFixture } from '../support/asset-factory.js'

const PDF = readFixture('documents/tiny.pdf')
const PNG = readFixture('documents/pixel.png')
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

// On each blob store: with S3 what Credport stores itself goes through the spool folder into the bucket.
describeEachBlobStore('ingesting documents', (use) => {
  test('two concurrent ingests of one asset: the guarded UPDATE lets exactly one store, the other’s blob is deleted', async () => {
    const t = use()
    const { assets, submissionId } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }] })
    const asset = assets[0]!
    const guard = { states: ['awaiting_upload'] as const, source: 'upload' as const }
    const results = await Promise.all([
      ingestDocument(t.deps, asset, pdfHeadedStream(2 * 1024 * 1024), { maxBytes: 10 * 1024 * 1024, guard }),
      ingestDocument(t.deps, asset, pdfHeadedStream(2 * 1024 * 1024 + 1), { maxBytes: 10 * 1024 * 1024, guard }),
    ])
    assert.deepEqual(results.map((r) => r.stored).sort(), [false, true])
    const row = await assetRow(t, asset.id)
    assert.equal(row.state, 'received')
    assert.deepEqual(await storedKeysOf(t, submissionId), [row.blobKey])
  })

  test('a failing source leaves nothing and the asset unchanged', async () => {
    const t = use()
    const { assets, submissionId } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }] })
    async function* broken() {
      yield PDF.subarray(0, 100)
      throw new Error('connection reset')
    }
    await assert.rejects(
      ingestDocument(t.deps, assets[0]!, Readable.from(broken()), {
        maxBytes: 1024 * 1024,
        guard: { states: ['awaiting_upload'], source: 'upload' },
      }),
      /connection reset/,
    )
    assert.equal((await assetRow(t, assets[0]!.id)).state, 'awaiting_upload')
    assert.deepEqual(await storedKeysOf(t, submissionId), [])
    assert.deepEqual(spooledFiles(t), [], 'no spooled write left (S3)')
  })

  test('too large and wrong type are DocumentRejectedError with their problem', async () => {
    const t = use()
    const { assets } = await makeSubmissionWithAssets(t, { assets: [{ assetType: 'pdf' }] })
    const guard = { states: ['awaiting_upload'] as const, source: 'upload' as const }
    await assert.rejects(
      ingestDocument(t.deps, assets[0]!, pdfHeadedStream(5000), { maxBytes: 4999, guard }),
      (e: unknown) => e instanceof DocumentRejectedError && e.problem === 'too_large',
    )
    await assert.rejects(
      ingestDocument(t.deps, assets[0]!, Readable.from([PNG]), { maxBytes: 4999, guard }),
      (e: unknown) => e instanceof DocumentRejectedError && e.problem === 'type_mismatch',
    )
  })

  test('storeInlineDocument: OpenCerts text and data: URL bytes are stored and verified like uploads', async () => {
    const t = use()
    const { assets } = await makeSubmissionWithAssets(t, {
      assets: [
        { assetType: 'open_cert', source: 'inline', partnerAssetId: 'document' },
        { assetType: 'open_cert', source: 'inline', partnerAssetId: 'stub' },
        { assetType: 'pdf', source: 'inline', partnerAssetId: 'pdf' },
      ],
    })
    const [wrapped, stub, pdf] = assets as [(typeof assets)[0], (typeof assets)[0], (typeof assets)[0]]
    const verified = await storeInlineDocument(t.deps, wrapped.id, readFixture('opencerts/wrapped.json'))
    assert.equal(verified.status, 'stored')
    assert.equal((await assetRow(t, wrapped.id)).state, 'verified')

    const stubText = readFixture('opencerts/stub.json').toString('utf8')
    assert.equal((await storeInlineDocument(t.deps, stub.id, Buffer.from(stubText, 'utf8'))).status, 'stored')
    const stubRow = await assetRow(t, stub.id)
    assert.equal(stubRow.state, 'rejected')
    assert.equal(stubRow.rejectReason, 'not_wrapped')

    const stored = await storeInlineDocument(t.deps, pdf.id, PDF)
    assert.equal(stored.status, 'stored')
    const pdfRow = await assetRow(t, pdf.id)
    assert.equal(pdfRow.state, 'received')
    assert.equal(pdfRow.sha256, sha256(PDF))
  })

  test('storeInlineDocument: wrong bytes → rejected type_mismatch, too large → rejected too_large', async () => {
    const t = use()
    const { assets } = await makeSubmissionWithAssets(t, {
      assets: [
        { assetType: 'pdf', source: 'inline', partnerAssetId: 'png-as-pdf' },
        { assetType: 'pdf', source: 'inline', partnerAssetId: 'big' },
      ],
    })
    assert.deepEqual(await storeInlineDocument(t.deps, assets[0]!.id, PNG), {
      status: 'rejected',
      reason: 'type_mismatch',
    })
    assert.equal((await assetRow(t, assets[0]!.id)).rejectReason, 'type_mismatch')
    const small = { ...t.deps, config: { ...t.deps.config, uploadMaxBytes: 100 } }
    assert.deepEqual(await storeInlineDocument(small, assets[1]!.id, PDF), { status: 'rejected', reason: 'too_large' })
    const big = await assetRow(t, assets[1]!.id)
    assert.equal(big.state, 'rejected')
    assert.equal(big.blobKey, null)
  })

  test('storeInlineDocument skips assets that are not inline, already stored, or of a closed submission', async () => {
    const t = use()
    const { assets } = await makeSubmissionWithAssets(t, {
      assets: [
        { assetType: 'pdf', source: 'upload' },
        { assetType: 'pdf', source: 'inline' },
      ],
    })
    assert.deepEqual(await storeInlineDocument(t.deps, assets[0]!.id, PDF), { status: 'skipped' })
    assert.equal((await storeInlineDocument(t.deps, assets[1]!.id, PDF)).status, 'stored')
    assert.deepEqual(await storeInlineDocument(t.deps, assets[1]!.id, PDF), { status: 'skipped' })
    const canceled = await makeSubmissionWithAssets(t, {
      status: 'canceled',
      assets: [{ assetType: 'pdf', source: 'inline' }],
    })
    assert.deepEqual(await storeInlineDocument(t.deps, canceled.assets[0]!.id, PDF), { status: 'skipped' })
    assert.deepEqual(await storedKeysOf(t, canceled.submissionId), [])
    assert.deepEqual(await storeInlineDocument(t.deps, '6f1b8c7e-0000-4000-8000-000000000000', PDF), {
      status: 'skipped',
    })
  })
})
