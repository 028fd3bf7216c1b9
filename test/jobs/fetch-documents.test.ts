import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { buffer } from 'node:stream/consumers'
import { after, before, test } from 'node:test'
import { perform, type FetchDocumentsOptions } from '../../src/jobs/fetch-documents.js'
import { publicAddressesOnly, type AddressPolicy } from '../../src/modules/assets/address-policy.js'
import { OpenCertVerifier } from '../../src/modules/assets/opencerts-verifier.js'
import type { Resolver } from '../../src/modules/assets/fetch-document.js'
import type { TestApp } from '../support/app.js'
import { assetRow, makeSubmissionWithAssets, pdfHeadedBuffer, readFixture } from '../support/asset-factory.js'
import { describeEachBlobStore, NOT_ABOUT_THE_STORE, spooledFiles, storedKeysOf } from '../support/blob-stores.js'
import { DocumentServer, DOCS_HOST, makeTestCertificate, OTHER_HOST } from './document-server.js'

const PDF = readFixture('documents/tiny.pdf')
const PNG = readFixture('documents/pixel.png')
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

const certificate = makeTestCertificate()
const skip = certificate ? false : 'openssl is not installed: no certificate for the local https server'

/** The test hosts resolve to loopback; anything else does not exist. Counts lookups. */
const lookups: string[] = []
const testResolver: Resolver = async (hostname) => {
  lookups.push(hostname)
  if (hostname === DOCS_HOST || hostname === OTHER_HOST) return [{ address: '127.0.0.1', family: 4 }]
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
}
/** The real policy, plus 127.0.0.1 — for these tests only (the local server lives there). */
const allowLoopback: AddressPolicy = (address) => address === '127.0.0.1' || publicAddressesOnly(address)

let server: DocumentServer
let counter = 0
const unique = (name: string) => `/${++counter}-${name}`

before(async () => {
  if (!certificate) return
  server = new DocumentServer(certificate)
  await server.start()
})
after(async () => {
  await server?.stop()
})

function options(overrides: Partial<FetchDocumentsOptions> = {}): FetchDocumentsOptions {
  return {
    limit: 10,
    addressPolicy: allowLoopback,
    resolve: testResolver,
    ca: certificate?.cert,
    timeoutMs: 10_000,
    ...overrides,
  }
}

async function urlAsset(
  t: TestApp,
  url: string,
  assetType: 'pdf' | 'png' | 'jpg' | 'open_cert' = 'pdf',
  documentHosts = [DOCS_HOST, OTHER_HOST],
) {
  const made = await makeSubmissionWithAssets(t, {
    documentHosts,
    assets: [{ assetType, source: 'url', sourceUrl: url }],
  })
  return { ...made, asset: made.assets[0]! }
}

/** Nothing of a submission in the store, and no spooled write left behind (S3: `DATA_DIR/s3-spool`). */
async function assertNothingStored(t: TestApp, submissionId: string) {
  assert.deepEqual(await storedKeysOf(t, submissionId), [])
  assert.deepEqual(spooledFiles(t), [])
}

// On each blob store: with S3 a fetched document is put into the bucket (through the spool folder).
describeEachBlobStore(
  'fetch-documents job',
  (use, store) => {
    /** The tests that are not about storing run on the filesystem store only. */
    const fsOnly = skip || (store === 's3' && NOT_ABOUT_THE_STORE)
    test('fetches an allow-listed https document: received, its SHA-256, URL cleared, blob readable', {
      skip,
    }, async () => {
      const t = use()
      const { asset } = await urlAsset(t, server.serveBytes(unique('doc.pdf'), PDF, 'application/pdf'))
      assert.ok((await perform(t.deps, options())) >= 1)
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'received', row.rejectReason ?? '')
      assert.equal(row.sha256, sha256(PDF))
      assert.equal(row.bytes, PDF.length)
      assert.equal(row.sourceUrl, null)
      assert.equal(row.fetchAfter, null)
      assert.deepEqual(await buffer((await t.deps.blobs.get(row.blobKey!))!), PDF)
    })

    test('an OpenCerts document is verified like an upload', { skip }, async () => {
      const t = use()
      const good = await urlAsset(
        t,
        server.serveBytes(unique('cert.json'), readFixture('opencerts/wrapped.json')),
        'open_cert',
      )
      const stub = await urlAsset(
        t,
        server.serveBytes(unique('stub.json'), readFixture('opencerts/stub.json')),
        'open_cert',
      )
      await perform(t.deps, options())
      assert.equal((await assetRow(t, good.asset.id)).state, 'verified')
      const stubRow = await assetRow(t, stub.asset.id)
      assert.equal(stubRow.state, 'rejected')
      assert.equal(stubRow.rejectReason, 'not_wrapped')
    })

    test('an OpenCerts document fetched while the verifier is busy waits for it: verified in the same pass, one fetch', {
      skip: fsOnly,
    }, async () => {
      const t = use()
      const path = unique('busy.json')
      const { asset } = await urlAsset(t, server.serveBytes(path, readFixture('opencerts/wrapped.json')), 'open_cert')
      const usual = t.deps.openCerts
      // A verifier that lets one document wait, kept busy with a large one.
      t.deps.openCerts = new OpenCertVerifier(1)
      try {
        const data = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`field${i}`, `value ${i}`]))
        const busy = t.deps.openCerts.inspect(Buffer.from(JSON.stringify({ data, signature: {} })))
        await perform(t.deps, options({ maxAttempts: 1 }))
        const row = await assetRow(t, asset.id)
        assert.equal(row.state, 'verified', row.rejectReason ?? '')
        assert.equal(row.fetchAttempts, 1)
        assert.equal(server.hitsOf(path), 1)
        await busy
      } finally {
        await t.deps.openCerts.close()
        t.deps.openCerts = usual
      }
    })

    test('a host that is not on the partner’s allow-list → host_not_allowed, never requested', {
      skip: fsOnly,
    }, async () => {
      const t = use()
      const path = unique('doc.pdf')
      const { asset } = await urlAsset(t, server.serveBytes(path, PDF), 'pdf', ['elsewhere.example.edu'])
      await perform(t.deps, options())
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'rejected')
      assert.equal(row.rejectReason, 'host_not_allowed')
      assert.equal(row.sourceUrl, null)
      assert.equal(server.hitsOf(path), 0)
    })

    test('an http: URL → scheme_not_allowed', { skip: fsOnly }, async () => {
      const t = use()
      const { asset } = await urlAsset(t, `http://${DOCS_HOST}/doc.pdf`)
      await perform(t.deps, options())
      assert.equal((await assetRow(t, asset.id)).rejectReason, 'scheme_not_allowed')
    })

    test('the real policy: a host resolving to 127.0.0.1 or ::ffff:127.0.0.1 → private_address, never requested', {
      skip: fsOnly,
    }, async () => {
      const t = use()
      const path = unique('doc.pdf')
      const v4 = await urlAsset(t, server.serveBytes(path, PDF))
      await perform(t.deps, options({ addressPolicy: publicAddressesOnly }))
      assert.equal((await assetRow(t, v4.asset.id)).rejectReason, 'private_address')

      const mapped = await urlAsset(t, server.url(path))
      await perform(
        t.deps,
        options({
          addressPolicy: publicAddressesOnly,
          resolve: async () => [{ address: '::ffff:127.0.0.1', family: 6 }],
        }),
      )
      assert.equal((await assetRow(t, mapped.asset.id)).rejectReason, 'private_address')

      // One private address among public ones is enough to refuse.
      const mixed = await urlAsset(t, server.url(path))
      await perform(
        t.deps,
        options({
          addressPolicy: publicAddressesOnly,
          resolve: async () => [
            { address: '8.8.8.8', family: 4 },
            { address: '10.0.0.5', family: 4 },
          ],
        }),
      )
      assert.equal((await assetRow(t, mixed.asset.id)).rejectReason, 'private_address')
      assert.equal(server.hitsOf(path), 0)
    })

    test('the real policy with the system resolver: https://localhost/… → private_address', {
      skip: fsOnly,
    }, async () => {
      const t = use()
      const path = unique('doc.pdf')
      const { asset } = await urlAsset(t, server.serveBytes(path, PDF).replace(DOCS_HOST, 'localhost'), 'pdf', [
        'localhost',
      ])
      await perform(t.deps, { limit: 10 })
      assert.equal((await assetRow(t, asset.id)).rejectReason, 'private_address')
      assert.equal(server.hitsOf(path), 0)
    })

    test('a redirect to the same host is followed, with one DNS lookup in all', { skip: fsOnly }, async () => {
      const t = use()
      const target = server.serveBytes(unique('final.pdf'), PDF)
      const first = server.serve(unique('moved'), (_q, r) =>
        r.writeHead(302, { location: new URL(target).pathname }).end(),
      )
      const { asset } = await urlAsset(t, first)
      const before = lookups.length
      await perform(t.deps, options())
      assert.equal((await assetRow(t, asset.id)).state, 'received')
      assert.equal(lookups.length - before, 1, 'the checked address is reused: no second resolution')
    })

    test('a redirect to another host (even an allow-listed one) → redirect_not_allowed', { skip: fsOnly }, async () => {
      const t = use()
      const elsewhere = server.serveBytes(unique('elsewhere.pdf'), PDF, 'application/pdf')
      const other = elsewhere.replace(DOCS_HOST, OTHER_HOST)
      const { asset } = await urlAsset(
        t,
        server.serve(unique('away'), (_q, r) => r.writeHead(301, { location: other }).end()),
      )
      await perform(t.deps, options())
      assert.equal((await assetRow(t, asset.id)).rejectReason, 'redirect_not_allowed')
      assert.equal(server.hitsOf(new URL(elsewhere).pathname), 0)
    })

    test('a redirect to another port of the same host → redirect_not_allowed', { skip: fsOnly }, async () => {
      const t = use()
      const target = new URL(server.serveBytes(unique('other-port.pdf'), PDF, 'application/pdf'))
      const otherPort = new URL(target)
      otherPort.port = String(Number(target.port) === 65535 ? 65534 : Number(target.port) + 1)
      const { asset } = await urlAsset(
        t,
        server.serve(unique('to-port'), (_q, r) => r.writeHead(302, { location: otherPort.href }).end()),
      )
      await perform(t.deps, options())
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'rejected')
      assert.equal(row.rejectReason, 'redirect_not_allowed')
    })

    test('more than 3 redirects → fetch_failed', { skip: fsOnly }, async () => {
      const t = use()
      const loop = unique('loop')
      server.serve(loop, (_q, r) => r.writeHead(302, { location: loop }).end())
      const { asset } = await urlAsset(t, server.url(loop))
      await perform(t.deps, options())
      assert.equal((await assetRow(t, asset.id)).rejectReason, 'fetch_failed')
      assert.equal(server.hitsOf(loop), 4)
    })

    test('larger than the limit → too_large, by Content-Length or while streaming; nothing stored', {
      skip,
    }, async () => {
      const t = use()
      const big = await pdfHeadedBuffer(t.config.uploadMaxBytes + 1)
      const declared = await urlAsset(t, server.serveBytes(unique('big.pdf'), big))
      const streamed = await urlAsset(
        t,
        server.serve(unique('chunked.pdf'), (_q, r) => {
          r.writeHead(200, { 'content-type': 'application/pdf' })
          r.write(big.subarray(0, 1000))
          r.end(big.subarray(1000))
        }),
      )
      await perform(t.deps, options())
      for (const { asset, submissionId } of [declared, streamed]) {
        const row = await assetRow(t, asset.id)
        assert.equal(row.rejectReason, 'too_large')
        assert.equal(row.blobKey, null)
        await assertNothingStored(t, submissionId)
      }
    })

    test('bytes that are not the declared type → type_mismatch', { skip }, async () => {
      const t = use()
      const { asset, submissionId } = await urlAsset(t, server.serveBytes(unique('fake.pdf'), PNG, 'application/pdf'))
      await perform(t.deps, options())
      assert.equal((await assetRow(t, asset.id)).rejectReason, 'type_mismatch')
      await assertNothingStored(t, submissionId)
    })

    test('a permanent HTTP error (404) → fetch_failed at once', { skip: fsOnly }, async () => {
      const t = use()
      const { asset } = await urlAsset(t, server.url(unique('missing.pdf')))
      await perform(t.deps, options())
      const row = await assetRow(t, asset.id)
      assert.equal(row.rejectReason, 'fetch_failed')
      assert.equal(row.fetchAttempts, 1)
    })

    test('network failures are retried with backoff, then → fetch_failed', { skip: fsOnly }, async () => {
      const t = use()
      const path = unique('flaky.pdf')
      server.serve(path, (_q, r) => r.writeHead(503).end())
      const { asset } = await urlAsset(t, server.url(path))
      const retry = options({ maxAttempts: 3, retryDelaysMs: [60_000, 120_000] })

      await perform(t.deps, retry)
      let row = await assetRow(t, asset.id)
      assert.equal(row.state, 'awaiting_fetch')
      assert.equal(row.fetchAttempts, 1)
      assert.equal(row.fetchAfter?.getTime(), t.clock.now().getTime() + 60_000)

      await perform(t.deps, retry) // not due yet
      assert.equal(server.hitsOf(path), 1)

      t.clock.advance(60_000)
      await perform(t.deps, retry)
      row = await assetRow(t, asset.id)
      assert.equal(row.fetchAttempts, 2)
      assert.equal(row.fetchAfter?.getTime(), t.clock.now().getTime() + 120_000)

      t.clock.advance(120_000)
      await perform(t.deps, retry)
      row = await assetRow(t, asset.id)
      assert.equal(row.state, 'rejected')
      assert.equal(row.rejectReason, 'fetch_failed')
      assert.equal(server.hitsOf(path), 3)
    })

    test('a host that recovers is fetched on a later attempt; connection errors and timeouts count as failures', {
      skip: fsOnly,
    }, async () => {
      const t = use()
      const path = unique('recovers.pdf')
      let mode: 'reset' | 'hang' | 'ok' = 'reset'
      server.serve(path, (request, response) => {
        if (mode === 'reset') return void request.socket.destroy()
        if (mode === 'hang') return // never answers: the deadline fires
        response.writeHead(200).end(PDF)
      })
      const { asset } = await urlAsset(t, server.url(path))
      await perform(t.deps, options({ retryDelaysMs: [1000] }))
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_fetch')
      mode = 'hang'
      t.clock.advance(1000)
      await perform(t.deps, options({ retryDelaysMs: [1000], timeoutMs: 500 }))
      assert.equal((await assetRow(t, asset.id)).state, 'awaiting_fetch')
      mode = 'ok'
      t.clock.advance(1000)
      await perform(t.deps, options({ retryDelaysMs: [1000], timeoutMs: 10_000 }))
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'received')
      assert.equal(row.fetchAttempts, 3)
    })

    test('a body that stalls part-way hits the deadline: retried later, nothing kept', { skip }, async () => {
      const t = use()
      const { asset, submissionId } = await urlAsset(
        t,
        server.serve(unique('stalls.pdf'), (_q, r) => {
          r.writeHead(200, { 'content-length': String(PDF.length) })
          r.write(PDF.subarray(0, 100)) // and never the rest
        }),
      )
      await perform(t.deps, options({ timeoutMs: 300 }))
      const row = await assetRow(t, asset.id)
      assert.equal(row.state, 'awaiting_fetch')
      assert.equal(row.fetchAttempts, 1)
      await assertNothingStored(t, submissionId)
    })

    test('two passes at once fetch an asset once (the claim is a lease)', { skip: fsOnly }, async () => {
      const t = use()
      const path = unique('once.pdf')
      const { asset } = await urlAsset(t, server.serveBytes(path, PDF))
      await Promise.all([perform(t.deps, options()), perform(t.deps, options())])
      assert.equal((await assetRow(t, asset.id)).state, 'received')
      assert.equal(server.hitsOf(path), 1)
    })

    test('assets of a canceled submission are not fetched', { skip: fsOnly }, async () => {
      const t = use()
      const path = unique('canceled.pdf')
      const made = await makeSubmissionWithAssets(t, {
        status: 'canceled',
        documentHosts: [DOCS_HOST],
        assets: [{ assetType: 'pdf', source: 'url', sourceUrl: server.serveBytes(path, PDF) }],
      })
      await perform(t.deps, options())
      assert.equal((await assetRow(t, made.assets[0]!.id)).state, 'awaiting_fetch')
      assert.equal(server.hitsOf(path), 0)
    })
  },
  { UPLOAD_MAX_BYTES: '64kb' },
)
