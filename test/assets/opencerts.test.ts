import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  digestDocument,
  merkleRootOf,
  verifyOpenCert,
  verifyOpenCertDocument,
} from '../../src/modules/assets/opencerts.js'
import { readFixture } from '../fixtures/fixtures.js'

// Fixtures were wrapped by @govtechsg/open-attestation (test/fixtures/build-opencerts.cjs), so these
// tests check this implementation against the reference library's output.
const load = (name: string) => JSON.parse(readFixture(`opencerts/${name}.json`).toString('utf8')) as Record<string, any>
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('OpenCerts (OpenAttestation v2) integrity', () => {
  test('a document wrapped alone verifies; issuer identity is never checked offline', () => {
    const outcome = verifyOpenCert(readFixture('opencerts/wrapped.json'))
    assert.equal(outcome.status, 'verified')
    assert.equal(outcome.issuer_identity, 'not_checked')
  })

  test('a member of a batch verifies through its Merkle proof', () => {
    const document = load('batch-member')
    assert.ok(document.signature.proof.length >= 2)
    assert.notEqual(document.signature.targetHash, document.signature.merkleRoot)
    assert.equal(verifyOpenCertDocument(document).status, 'verified')
  })

  test('a document with obfuscated (selectively disclosed) fields still verifies', () => {
    const document = load('obfuscated')
    assert.ok(document.privacy.obfuscatedData.length >= 2)
    assert.equal(verifyOpenCertDocument(document).status, 'verified')
  })

  test('the digest equals the library’s targetHash; the proof folds to its merkleRoot', () => {
    for (const name of ['wrapped', 'batch-member', 'obfuscated']) {
      const document = load(name)
      assert.equal(digestDocument(document as never), document.signature.targetHash, name)
      assert.equal(
        merkleRootOf(document.signature.targetHash, document.signature.proof),
        document.signature.merkleRoot,
        name,
      )
    }
  })

  test('one altered field → integrity_failed (fixture made by the library)', () => {
    assert.deepEqual(verifyOpenCert(readFixture('opencerts/tampered.json')), {
      status: 'rejected',
      reason: 'integrity_failed',
      issuer_identity: 'not_checked',
    })
  })

  test('a changed proof step → integrity_failed', () => {
    assert.equal(verifyOpenCert(readFixture('opencerts/wrong-proof.json')).status, 'rejected')
  })

  const mutations: Array<[string, (d: Record<string, any>) => void]> = [
    ['a field added', (d) => void (d.data.extra = 'c8a3c2f1-3f0e-4a7e-9d54-2f3a0d7f1c11:string:x')],
    ['a field removed', (d) => void delete d.data.id],
    ['an array entry removed', (d) => void d.data.transcript.pop()],
    ['an obfuscated hash added', (d) => void (d.privacy = { obfuscatedData: ['00'.repeat(32)] })],
    [
      'the targetHash changed',
      (d) =>
        void (d.signature.targetHash = d.signature.targetHash.replace(/^./, (c: string) => (c === 'a' ? 'b' : 'a'))),
    ],
    ['the merkleRoot changed', (d) => void (d.signature.merkleRoot = '11'.repeat(32))],
    ['a proof step added', (d) => void d.signature.proof.push('22'.repeat(32))],
    ['a proof step that is not hex', (d) => void d.signature.proof.push('zz')],
    ['another signature type', (d) => void (d.signature.type = 'Other')],
    ['a key containing a dot', (d) => void (d.data['a.b'] = 'x')],
    ['obfuscatedData that is not an array', (d) => void (d.privacy = { obfuscatedData: 'abc' })],
  ]
  for (const [what, mutate] of mutations) {
    test(`${what} → integrity_failed`, () => {
      const document = clone(load('wrapped'))
      mutate(document)
      assert.deepEqual(verifyOpenCertDocument(document), {
        status: 'rejected',
        reason: 'integrity_failed',
        issuer_identity: 'not_checked',
      })
    })
  }

  test('the public sample stub, and other unwrapped JSON, → not_wrapped', () => {
    assert.equal((verifyOpenCert(readFixture('opencerts/stub.json')) as { reason: string }).reason, 'not_wrapped')
    const raw = load('wrapped')
    delete raw.signature
    assert.equal((verifyOpenCertDocument(raw) as { reason: string }).reason, 'not_wrapped')
    assert.equal((verifyOpenCertDocument({ data: 'x', signature: {} }) as { reason: string }).reason, 'not_wrapped')
  })

  test('text that is not a JSON object → invalid_json; a byte-order mark is tolerated', () => {
    for (const text of ['', 'nope', '[]', '"string"', '{"a":']) {
      assert.equal((verifyOpenCert(text) as { reason: string }).reason, 'invalid_json', text)
    }
    assert.equal(verifyOpenCert(`\uFEFF${readFixture('opencerts/wrapped.json').toString('utf8')}`).status, 'verified')
  })

  test('an upper-case merkleRoot is accepted (the library compares bytes)', () => {
    const document = clone(load('wrapped'))
    document.signature.merkleRoot = document.signature.merkleRoot.toUpperCase()
    assert.equal(verifyOpenCertDocument(document).status, 'verified')
  })
})

describe('OpenCerts verification of hostile documents', () => {
  const wrapped = () => JSON.parse(readFixture('opencerts/wrapped.json').toString('utf8'))

  test('20 000 levels of nesting are rejected as integrity_failed, not a crash', () => {
    const document = wrapped()
    document.data = { deep: JSON.parse(`${'['.repeat(20_000)}1${']'.repeat(20_000)}`) }
    assert.deepEqual(verifyOpenCertDocument(document), {
      status: 'rejected',
      reason: 'integrity_failed',
      issuer_identity: 'not_checked',
    })
  })

  test('a long key above many fields (each leaf hashes its whole path) is refused before hashing: integrity_failed', () => {
    const children = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`f${i}`, i]))
    const data = { ['k'.repeat(30_000)]: children } // 6 MB of paths to hash from a 30 kB document
    assert.throws(() => digestDocument({ data }), /field paths longer than 4194304 characters in all/)
    const document = { ...wrapped(), data }
    assert.deepEqual(verifyOpenCertDocument(document), {
      status: 'rejected',
      reason: 'integrity_failed',
      issuer_identity: 'not_checked',
    })
  })

  test('more than 100 000 fields are rejected as integrity_failed', () => {
    const document = wrapped()
    document.data = { many: Array.from({ length: 100_001 }, (_, i) => i) }
    assert.equal(verifyOpenCertDocument(document).status, 'rejected')
  })
})
