import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { careerHistory, type CareerHistoryFields } from '../../src/modules/credential-types/career-history.js'
import { MSG, batchSampleFields, example, expectIssues, issue, omit, type Json } from './support.js'

const job: Json = {
  organisation: 'Company A',
  role_title: 'Senior Software Engineer',
  start_date: '2024-01',
  last_processed_month: '2024-07',
}
const history = (...employment: unknown[]): Json => ({ full_name: 'John Doe', employment })

describe('career_history: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ['v2 career history sample', example('v2-career-history.json').fields],
    ['v2 batch sample', batchSampleFields('career_history')[0]!],
    ['role_classification only', history({ ...omit(job, 'role_title'), role_classification: 'Engineering' })],
    ['ended the month it started', history({ ...job, end_date: '2024-01' })],
    ['current job, end_date null', history({ ...job, end_date: null })],
    ['partner_chain', { ...history(job), partner_chain: [{ name: 'Payroll provider' }] }],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(careerHistory, fields, []))
  }
})

describe('career_history: invalid fields', () => {
  const invalid: Array<[string, Json, Array<ReturnType<typeof issue>>]> = [
    ['empty object', {}, [issue('/employment', MSG.required), issue('/full_name', MSG.required)]],
    ['no employment', history(), [issue('/employment', 'must contain at least one item')]],
    ['employment an object', { full_name: 'John Doe', employment: job }, [issue('/employment', 'must be an array')]],
    [
      'too many entries',
      history(...Array<Json>(101).fill(job)),
      [issue('/employment', 'must contain at most 100 items')],
    ],
    ['entry not an object', history(job, 'Company B'), [issue('/employment/1', MSG.object)]],
    [
      'entry missing every required field',
      history({}),
      [
        issue('/employment/0', 'needs role_classification or role_title'),
        issue('/employment/0/last_processed_month', MSG.required),
        issue('/employment/0/organisation', MSG.required),
        issue('/employment/0/start_date', MSG.required),
      ],
    ],
    [
      'neither role field',
      history(omit(job, 'role_title')),
      [issue('/employment/0', 'needs role_classification or role_title')],
    ],
    ['blank role_title', history({ ...job, role_title: ' ' }), [issue('/employment/0/role_title', MSG.blank)]],
    ['blank organisation', history({ ...job, organisation: '' }), [issue('/employment/0/organisation', MSG.blank)]],
    ['typo', history({ ...job, organization: 'Company A' }), [issue('/employment/0/organization', MSG.unknown)]],
    [
      'full date instead of month',
      history({ ...job, start_date: '2024-01-15' }),
      [issue('/employment/0/start_date', MSG.month)],
    ],
    [
      'month 13',
      history({ ...job, last_processed_month: '2024-13' }),
      [issue('/employment/0/last_processed_month', MSG.month)],
    ],
    ['month 00', history({ ...job, end_date: '2024-00' }), [issue('/employment/0/end_date', MSG.month)]],
    [
      'end_date a number',
      history({ ...job, end_date: 202401 }),
      [issue('/employment/0/end_date', 'must be a string or null')],
    ],
    [
      'end before start',
      history({ ...job, end_date: '2023-12' }),
      [issue('/employment/0/end_date', 'must not be before start_date')],
    ],
    [
      'problems in several entries at once',
      history(job, { ...omit(job, 'role_title'), end_date: '2023-01' }, { ...job, start_date: 'soon' }),
      [
        issue('/employment/1', 'needs role_classification or role_title'),
        issue('/employment/1/end_date', 'must not be before start_date'),
        issue('/employment/2/start_date', MSG.month),
      ],
    ],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(careerHistory, fields, expected))
  }
})

describe('career_history: display and normal form', () => {
  test('displayTitle: the latest role and how many came before', () => {
    const fields = example('v2-career-history.json').fields as CareerHistoryFields
    assert.equal(careerHistory.displayTitle(fields), 'Senior Software Engineer at Company B and 1 earlier role')
  })
  test('displayTitle of a single role falls back to the classification', () => {
    const fields = history({ ...omit(job, 'role_title'), role_classification: 'Engineering' }) as CareerHistoryFields
    assert.equal(careerHistory.displayTitle(fields), 'Engineering at Company A')
  })
  test('normalize returns an equal copy', () => {
    const fields = history(job) as CareerHistoryFields
    const normal = careerHistory.normalize(fields)
    assert.deepEqual(normal, fields)
    assert.notEqual(normal.employment, fields.employment)
  })
})
