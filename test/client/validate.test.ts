import assert from 'node:assert/strict'
import { test } from 'node:test'
import { validate } from '../../src/client/index.js'
import { describeEachBackend } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import { example, freshBatch, V1_BATCH, V2_BATCH, v1Path, v2Path } from '../support/intake-helpers.js'

/**
 * The SDK's local `validate()` against the server's answer for the same body. Every intake request
 * of every test is compared the same way (test/support/sdk-agreement.ts); these are the cases
 * that need saying: the public samples, and bodies with many problems at once.
 */

const key = (i: { pointer: string; message: string }) => `${i.pointer} ${i.message}`
const sorted = (issues: Array<{ pointer: string; message: string }>) =>
  issues.map(({ pointer, message }) => ({ pointer, message })).sort((a, b) => key(a).localeCompare(key(b)))

test('the public samples are valid locally', () => {
  assert.deepEqual(validate(example('v2-batch.json')), [])
  assert.deepEqual(validate(freshBatch().body), [])
})

test('a batch is v1 when it has credentials (as submitBatch sends it), unless its version is said', () => {
  assert.deepEqual(
    validate({}).map((i) => i.pointer),
    ['/credential_id', ''],
  )
  assert.deepEqual(
    validate({}, { batch: 1 }).map((i) => i.pointer),
    ['/id', '/credentials'],
  )
  assert.equal(validate({ id: 'x', credentials: [] })[0]?.pointer, '/credentials')
})

test('a type unknown to the API version is a TypeError, not an issue', () => {
  assert.throws(() => validate({}, { type: 'universal_credential', version: 1 }), TypeError)
  assert.throws(() => validate({}, { type: 'nope' as any }), TypeError)
})

describeEachBackend('validate() agrees with the server', (use) => {
  const cases: Array<[string, string, Parameters<typeof validate>[1], unknown]> = [
    [
      'a v2 add with more problems than TypeBox reports by default (8)',
      v2Path('education'),
      { type: 'education' },
      {
        credential_id: ' ',
        fields: {
          full_name: 3,
          extra: 1,
          other: 2,
          has_majors: true,
          majors: [],
          transcript: { overall: {}, subjects: [{ completion_date: '2024-13' }, { completion_date: 5, x: 1 }] },
        },
        assets: [{ asset_id: 'a', asset_type: 'gif' }],
      },
    ],
    [
      'a v1 add with a wrong type, document and fields',
      v1Path('microcredential'),
      { type: 'microcredential', version: 1 },
      {
        id: 'x',
        credential_type: 'education',
        document_type: 'pdf',
        data: { credential: { full_name: '', issue_date: '2023-02-29', expiry_date: '2020-01-01', nope: true } },
      },
    ],
    [
      'a v2 batch with bad sections, duplicates and a bad item',
      V2_BATCH,
      'batch',
      {
        credential_id: 'b',
        education_items: [
          { credential_id: 'dup', fields: { full_name: 'A' } },
          { credential_id: 'dup', fields: {}, assets: [{ asset_id: 'x', asset_type: 'pdf', asset_data: 'nope' }] },
        ],
        right_to_work_items: [{ credential_id: 'r', fields: { full_name: 'A', country: 'sg' } }],
        career_history: { credential_id: 'c', fields: { full_name: 'A', employment: [{ start_date: '2020-13' }] } },
        digital_identity: 'me',
      },
    ],
    [
      'a v1 batch with unknown and v2-only types',
      V1_BATCH,
      'batch',
      {
        id: 'b',
        credentials: [
          { id: 'a', credential_type: 'universal_credential', data: { credential: {} } },
          { id: 'a', credential_type: 'education', data: { credential: { full_name: ' ' } } },
        ],
      },
    ],
  ]
  for (const [name, path, target, body] of cases) {
    test(name, async () => {
      const { token } = await makePartnerWithToken(use())
      const response = await use().request('POST', path, { json: body, token })
      assert.equal(response.status, 400, response.text)
      assert.ok(response.body.errors.length > 3)
      assert.deepEqual(sorted(validate(body, target)), sorted(response.body.errors))
    })
  }
})
