import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { digitalIdentity, type DigitalIdentityFields } from '../../src/modules/credential-types/digital-identity.js'
import type { Envelope } from '../../src/modules/credential-types/types.js'
import { MSG, batchSampleFields, expectIssues, issue, omit, type Json } from './support.js'

const ASSURANCE = ['identity_document_liveness', 'identity_document_person_match', 'identity_document_validity']
const full: Json = {
  full_name: 'John Doe',
  date_of_birth: '1990-02-28',
  identity_document_validity: 'government_database',
  identity_document_liveness: 'automated',
  identity_document_person_match: 'automated',
}
const SINGLE: Envelope[] = ['v1', 'v2']
const BATCH: Envelope[] = ['v1-batch', 'v2-batch']

describe('digital_identity: valid fields', () => {
  const valid: Array<[string, Json, Envelope[]]> = [
    ['v2 batch sample (only full_name)', batchSampleFields('digital_identity')[0]!, BATCH],
    [
      'every field',
      { ...full, identity_verification_level: 'standard', partner_chain: [{ name: 'Agent' }] },
      [...SINGLE, ...BATCH],
    ],
    ['date_of_birth null', { ...full, date_of_birth: null }, [...SINGLE, ...BATCH]],
    ['date_of_birth absent', omit(full, 'date_of_birth'), SINGLE],
    ['leap-day birthday', { ...full, date_of_birth: '2000-02-29' }, SINGLE],
    [
      'other enum values',
      {
        ...full,
        identity_document_validity: 'verifiable_credential',
        identity_document_liveness: 'in_person',
        identity_document_person_match: 'government_database',
      },
      SINGLE,
    ],
    ['only some assurance fields in a batch', omit(full, 'identity_document_liveness'), BATCH],
    // Spec §4.4: required on v1 single adds; a v2 single add takes the fields of a v2 batch item.
    ['only full_name on a v2 single add', { full_name: 'John Doe' }, ['v2']],
  ]
  for (const [name, fields, envelopes] of valid) {
    for (const envelope of envelopes) {
      test(`${name} (${envelope})`, () => expectIssues(digitalIdentity, fields, [], envelope))
    }
  }
})

describe('digital_identity: invalid fields', () => {
  const invalid: Array<[string, Json, Envelope, Array<ReturnType<typeof issue>>]> = [
    [
      'only full_name on a v1 single add',
      { full_name: 'John Doe' },
      'v1',
      ASSURANCE.map((f) => issue(`/${f}`, MSG.required)),
    ],
    ['missing full_name in a batch', {}, 'v2-batch', [issue('/full_name', MSG.required)]],
    ['blank full_name', { ...full, full_name: ' ' }, 'v2', [issue('/full_name', MSG.blank)]],
    ['typo', { ...full, date_of_brith: '1990-01-01' }, 'v1', [issue('/date_of_brith', MSG.unknown)]],
    [
      'date_of_birth not a real date',
      { ...full, date_of_birth: '1990-02-30' },
      'v2',
      [issue('/date_of_birth', MSG.date)],
    ],
    [
      'date_of_birth a number',
      { ...full, date_of_birth: 19900101 },
      'v2',
      [issue('/date_of_birth', 'must be a string or null')],
    ],
    [
      'unknown validity',
      { ...full, identity_document_validity: 'selfie' },
      'v2',
      [
        issue(
          '/identity_document_validity',
          'must be one of: "manual", "government_database", "verifiable_credential"',
        ),
      ],
    ],
    [
      // Reported once, as a wrong value, not again as missing.
      'null liveness on a single add',
      { ...full, identity_document_liveness: null },
      'v1',
      [issue('/identity_document_liveness', 'must be one of: "automated", "in_person"')],
    ],
    [
      'wrong case in a batch',
      { ...full, identity_document_person_match: 'Manual' },
      'v2-batch',
      [issue('/identity_document_person_match', 'must be one of: "manual", "automated", "government_database"')],
    ],
    [
      'unknown legacy level',
      { ...full, identity_verification_level: 'high' },
      'v2',
      [issue('/identity_verification_level', 'must be one of: "basic", "standard"')],
    ],
  ]
  for (const [name, fields, envelope, expected] of invalid) {
    test(`${name} (${envelope})`, () => expectIssues(digitalIdentity, fields, expected, envelope))
  }
})

describe('digital_identity: display and normal form', () => {
  test('displayTitle names the person', () => {
    assert.equal(digitalIdentity.displayTitle(full as DigitalIdentityFields), 'Identity of John Doe')
  })
  test('normalize returns an equal copy', () => {
    const normal = digitalIdentity.normalize(full as DigitalIdentityFields)
    assert.deepEqual(normal, full)
    assert.notEqual(normal, full)
  })
})
