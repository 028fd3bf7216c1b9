import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { microcredential, type MicrocredentialFields } from '../../src/modules/credential-types/microcredential.js'
import { MSG, batchSampleFields, expectIssues, example, issue, omit, type Json } from './support.js'

const V1_SAMPLES = ['pdf', 'open-cert', 'none', 'partner-chain'].map((kind) => `v1-microcredential-${kind}.json`)

const base: Json = {
  full_name: 'John Doe',
  issuer_name: 'ExampleProvider',
  microcredential_name: 'AI Essentials',
  issue_date: '2024-08-31',
}

describe('microcredential: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ...V1_SAMPLES.map((file): [string, Json] => [file, example(file).data.credential]),
    ...batchSampleFields('microcredential_items').map((f, i): [string, Json] => [`v2 batch sample item ${i}`, f]),
    ['only the required fields', base],
    ['expiry on the issue day', { ...base, expiry_date: '2024-08-31' }],
    ['leap day', { ...base, issue_date: '2024-02-29' }],
    ['assessment_result null', { ...base, assessment_result: null }],
    ['assessment_result empty (free text)', { ...base, assessment_result: '' }],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(microcredential, fields, []))
  }
})

describe('microcredential: invalid fields', () => {
  const invalid: Array<[string, Json, Array<ReturnType<typeof issue>>]> = [
    [
      'empty object',
      {},
      ['full_name', 'issue_date', 'issuer_name', 'microcredential_name'].map((f) => issue(`/${f}`, MSG.required)),
    ],
    ['blank issuer', { ...base, issuer_name: '  ' }, [issue('/issuer_name', MSG.blank)]],
    ['typo', { ...base, expiry: '2025-01-01' }, [issue('/expiry', MSG.unknown)]],
    ['issue_date not a real date', { ...base, issue_date: '2024-02-30' }, [issue('/issue_date', MSG.date)]],
    ['issue_date in another form', { ...base, issue_date: '31/08/2024' }, [issue('/issue_date', MSG.date)]],
    ['expiry_date null', { ...base, expiry_date: null }, [issue('/expiry_date', MSG.string)]],
    [
      'expiry before issue',
      { ...base, expiry_date: '2024-08-30' },
      [issue('/expiry_date', 'must not be before issue_date')],
    ],
    [
      'assessment_result a number',
      { ...base, assessment_result: 85 },
      [issue('/assessment_result', 'must be a string or null')],
    ],
    [
      'assessment_result too long',
      { ...base, assessment_result: 'x'.repeat(1001) },
      [issue('/assessment_result', 'must be at most 1000 characters long')],
    ],
    [
      'every problem at once',
      {
        ...omit(base, 'full_name'),
        microcredential_name: '',
        expiry_date: '2020-01-01',
        partner_chain: [{ name: '' }],
      },
      [
        issue('/expiry_date', 'must not be before issue_date'),
        issue('/full_name', MSG.required),
        issue('/microcredential_name', MSG.blank),
        issue('/partner_chain/0/name', MSG.blank),
      ],
    ],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(microcredential, fields, expected))
  }
})

describe('microcredential: display and normal form', () => {
  test('displayTitle is the microcredential name', () => {
    assert.equal(microcredential.displayTitle(base as MicrocredentialFields), 'AI Essentials')
  })
  test('normalize returns an equal copy', () => {
    const fields = example('v1-microcredential-partner-chain.json').data.credential as MicrocredentialFields
    const normal = microcredential.normalize(fields)
    assert.deepEqual(normal, fields)
    assert.notEqual(normal.partner_chain, fields.partner_chain)
  })
})
