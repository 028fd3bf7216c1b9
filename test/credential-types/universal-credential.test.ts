import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  universalCredential,
  type UniversalCredentialFields,
} from '../../src/modules/credential-types/universal-credential.js'
import { MSG, batchSampleFields, expectIssues, issue, omit, type Json } from './support.js'

const ONE_OF = 'is required unless credential_sub_type is given'
const base: Json = {
  full_name: 'John Doe',
  credential_name: 'Registered Nurse',
  credential_category: 'Licence',
  issuer_name: 'Nursing Board',
}
const details: Json = {
  scope_of_practice: 'General nursing',
  speciality: ['Paediatrics', 'Emergency'],
  version: '2',
  date_completed: '2024-02-29',
  country: 'Australia',
  state: 'Victoria',
  province: null,
  city: 'Melbourne',
  region: null,
  place: 'Royal Children’s Hospital',
}

describe('universal_credential: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ['v2 batch sample (credential_sub_type only)', batchSampleFields('universal_credential_items')[0]!],
    ['credential_category only', base],
    ['both category and sub-type', { ...base, credential_sub_type: 'Nurse' }],
    ['expiry null', { ...base, issue_date: '2024-01-01', expiry_date: null }],
    ['expiry without issue date', { ...base, expiry_date: '2030-01-01' }],
    ['expiry on the issue day', { ...base, issue_date: '2024-01-01', expiry_date: '2024-01-01' }],
    ['every detail', { ...base, credential_details: details }],
    ['details null', { ...base, credential_details: null }],
    [
      'every detail null',
      { ...base, credential_details: Object.fromEntries(Object.keys(details).map((k) => [k, null])) },
    ],
    ['empty details', { ...base, credential_details: {} }],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(universalCredential, fields, []))
  }
})

describe('universal_credential: invalid fields', () => {
  const invalid: Array<[string, Json, Array<ReturnType<typeof issue>>]> = [
    [
      'empty object',
      {},
      [
        issue('/credential_category', ONE_OF),
        issue('/credential_name', MSG.required),
        issue('/full_name', MSG.required),
        issue('/issuer_name', MSG.required),
      ],
    ],
    ['neither category nor sub-type', omit(base, 'credential_category'), [issue('/credential_category', ONE_OF)]],
    ['blank category', { ...base, credential_category: '  ' }, [issue('/credential_category', MSG.blank)]],
    [
      'blank sub-type',
      { ...omit(base, 'credential_category'), credential_sub_type: '' },
      [issue('/credential_sub_type', MSG.blank)],
    ],
    ['category null', { ...base, credential_category: null }, [issue('/credential_category', MSG.string)]],
    ['typo', { ...base, credential_subtype: 'Nurse' }, [issue('/credential_subtype', MSG.unknown)]],
    ['issue_date not a real date', { ...base, issue_date: '2023-02-29' }, [issue('/issue_date', MSG.date)]],
    ['issue_date null', { ...base, issue_date: null }, [issue('/issue_date', MSG.string)]],
    ['expiry not a real date', { ...base, expiry_date: '2030-04-31' }, [issue('/expiry_date', MSG.date)]],
    [
      'expiry before issue',
      { ...base, issue_date: '2024-01-02', expiry_date: '2024-01-01' },
      [issue('/expiry_date', 'must not be before issue_date')],
    ],
    [
      'details a string',
      { ...base, credential_details: 'none' },
      [issue('/credential_details', 'must be an object or null')],
    ],
    [
      'unknown detail',
      { ...base, credential_details: { suburb: 'Parkville' } },
      [issue('/credential_details/suburb', MSG.unknown)],
    ],
    [
      'malformed details',
      {
        ...base,
        credential_details: { speciality: 'Paediatrics', date_completed: '2024-02-30', city: ' ', version: 2 },
      },
      [
        issue('/credential_details/city', MSG.blank),
        issue('/credential_details/date_completed', MSG.date),
        issue('/credential_details/speciality', 'must be an array or null'),
        issue('/credential_details/version', 'must be a string or null'),
      ],
    ],
    [
      'schema and cross-field problems together',
      { ...omit(base, 'credential_category', 'issuer_name'), issue_date: '2024-05-01', expiry_date: '2024-04-30' },
      [
        issue('/credential_category', ONE_OF),
        issue('/expiry_date', 'must not be before issue_date'),
        issue('/issuer_name', MSG.required),
      ],
    ],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(universalCredential, fields, expected))
  }
})

describe('universal_credential: display and normal form', () => {
  test('displayTitle is the credential name', () => {
    assert.equal(universalCredential.displayTitle(base as UniversalCredentialFields), 'Registered Nurse')
  })
  test('normalize returns an equal copy', () => {
    const fields = { ...base, credential_details: details } as UniversalCredentialFields
    const normal = universalCredential.normalize(fields)
    assert.deepEqual(normal, fields)
    assert.notEqual(normal.credential_details, fields.credential_details)
  })
})
