import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import os from 'node:os'
import { after, describe, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { promisify } from 'node:util'
import { OpenCertVerifier, VerifierBusyError } from '../../src/modules/assets/opencerts-verifier.js'
import { digestDocument, inspectOpenCert } from '../../src/modules/assets/opencerts.js'
import { readFixture } from '../fixtures/fixtures.js'

/** A wrapped document (target hash = merkle root, no proof) whose `data` has `fields` leaves. */
function wrappedDocumentOf(fields: number): Buffer {
  const data: Record<string, unknown> = {}
  for (let i = 0; i < fields; i++) data[`module${i}`] = { grade: `A${i}`, title: `Module ${i} of a long transcript` }
  const document = {
    version: 'https://schema.openattestation.com/2.0/schema.json',
    data,
    signature: { type: 'SHA3MerkleProof', targetHash: '', proof: [] as string[], merkleRoot: '' },
  }
  const targetHash = digestDocument(document)
  document.signature.targetHash = targetHash
  document.signature.merkleRoot = targetHash
  return Buffer.from(JSON.stringify(document))
}

describe('OpenCerts verification in a worker thread', () => {
  const verifier = new OpenCertVerifier()
  after(() => verifier.close())

  test('answers as the verification itself does, for every kind of document', async () => {
    const documents = {
      wrapped: readFixture('opencerts/wrapped.json'),
      batchMember: readFixture('opencerts/batch-member.json'),
      tampered: readFixture('opencerts/tampered.json'),
      stub: readFixture('opencerts/stub.json'),
      withByteOrderMark: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFixture('opencerts/wrapped.json')]),
      notJson: Buffer.from('{"data": '),
      notAnObject: Buffer.from('[1, 2, 3]'),
    }
    for (const [name, bytes] of Object.entries(documents)) {
      const expected = inspectOpenCert(bytes)
      assert.deepEqual(await verifier.inspect(Buffer.from(bytes)), expected, name)
    }
    assert.equal((await verifier.inspect(Buffer.from(documents.wrapped))).object, true)
    assert.deepEqual(await verifier.inspect(Buffer.from(documents.notAnObject)), { object: false })
  })

  test('a large document is moved to the worker, not copied: it is held once while it waits', async () => {
    const large = wrappedDocumentOf(200)
    assert.ok(large.byteLength > 8192)
    const inspection = verifier.inspect(large)
    assert.equal(large.byteLength, 0, 'the buffer was handed over')
    assert.equal((await inspection).object, true)
  })

  test('works whatever folder the server was started from', async () => {
    const verifierModule = new URL('../../src/modules/assets/opencerts-verifier.ts', import.meta.url).href
    const script =
      `import { OpenCertVerifier } from ${JSON.stringify(verifierModule)}\n` +
      'const verifier = new OpenCertVerifier()\n' +
      `console.log(JSON.stringify(await verifier.inspect(Buffer.from('{"data": {}}'))))\n` +
      'await verifier.close()'
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), '--input-type=module', '--eval', script],
      { cwd: os.tmpdir() },
    )
    assert.deepEqual(JSON.parse(stdout), {
      object: true,
      verification: { status: 'rejected', reason: 'not_wrapped', issuer_identity: 'not_checked' },
    })
  })

  test('a large document is verified while the event loop goes on', async () => {
    const large = wrappedDocumentOf(5_000)
    const events: string[] = []
    const verified = verifier.inspect(large).then((inspection) => {
      events.push('verified')
      return inspection
    })
    // On the event loop, the verification (10 000 Keccak hashes) would run before any timer.
    await sleep(20)
    events.push('timer')
    const inspection = await verified
    assert.deepEqual(events, ['timer', 'verified'])
    assert.equal(inspection.object && inspection.verification.status, 'verified')
  })

  test('documents sent together are each answered with their own result', async () => {
    const results = await Promise.all(
      [readFixture('opencerts/wrapped.json'), readFixture('opencerts/tampered.json'), Buffer.from('null')].map((b) =>
        verifier.inspect(b),
      ),
    )
    assert.deepEqual(
      results.map((r) => (r.object ? r.verification.status : 'not an object')),
      ['verified', 'rejected', 'not an object'],
    )
  })

  test('beyond the bytes it lets wait, a document is refused at once (VerifierBusyError); one alone is always taken', async () => {
    const small = new OpenCertVerifier(1024)
    try {
      const large = wrappedDocumentOf(2_000)
      assert.ok(large.byteLength > 1024)
      assert.equal(small.hasRoomFor(large.byteLength), true, 'nothing waits')
      const first = small.inspect(large)
      assert.equal(small.hasRoomFor(12), false)
      await assert.rejects(small.inspect(Buffer.from('{"data": {}}')), VerifierBusyError)
      assert.equal((await first).object, true)
      assert.equal(small.hasRoomFor(12), true)
      assert.equal(
        (await small.inspect(Buffer.from('{"data": {}}'))).object,
        true,
        'taken again once the queue is empty',
      )
    } finally {
      await small.close()
    }
  })

  test('reserve holds room for documents still to come, until given back (once)', async () => {
    const small = new OpenCertVerifier(1000)
    try {
      const release = small.reserve(600)
      assert.ok(release)
      assert.equal(small.hasRoomFor(400), true)
      assert.equal(small.hasRoomFor(401), false)
      assert.equal(small.reserve(401), null)
      await assert.rejects(small.inspect(Buffer.alloc(401, 'x')), VerifierBusyError)
      release()
      release()
      assert.equal(small.hasRoomFor(1000), true, 'given back once, however often called')
      assert.ok(small.reserve(5000), 'with nothing held, one document of any size is taken')
    } finally {
      await small.close()
    }
  })

  test('evenWhenBusy: a document that must not be lost waits beyond the bound, and is answered', async () => {
    const small = new OpenCertVerifier(1024)
    try {
      const first = small.inspect(wrappedDocumentOf(2_000))
      await assert.rejects(small.inspect(readFixture('opencerts/wrapped.json')), VerifierBusyError)
      const taken = small.inspect(readFixture('opencerts/wrapped.json'), { evenWhenBusy: true })
      assert.equal((await first).object, true)
      const inspection = await taken
      assert.equal(inspection.object && inspection.verification.status, 'verified')
    } finally {
      await small.close()
    }
  })

  test('bytes already handed over are refused at once, not left waiting forever; the verifier goes on', async () => {
    const bytes = new Uint8Array(wrappedDocumentOf(50))
    const first = verifier.inspect(bytes)
    assert.equal(bytes.byteLength, 0)
    await assert.rejects(verifier.inspect(bytes), /already handed over/)
    assert.equal((await first).object, true)
    assert.deepEqual(
      await verifier.inspect(new Uint8Array(0)),
      inspectOpenCert(Buffer.alloc(0)),
      'an empty document is a document, not a detached one',
    )
  })

  test('closing fails what is still waiting; the next document starts a new worker', async () => {
    const waiting = verifier.inspect(wrappedDocumentOf(5_000))
    await verifier.close()
    await assert.rejects(waiting, /OpenCerts worker stopped/)
    assert.equal((await verifier.inspect(readFixture('opencerts/wrapped.json'))).object, true)
  })
})
