import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  countryName,
  isCountryCode,
  rightToWork,
  workRightsLabel,
  type RightToWorkFields,
} from '../../src/modules/credential-types/right-to-work.js'
import { MSG, batchSampleFields, expectIssues, example, issue, omit, type Json } from './support.js'

const COUNTRY = 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "SG"'
const SNAKE = 'must be a snake_case value such as "citizen" or "resident"'
const SG_ONLY = { required: 'is required when country is SG', refused: 'is only allowed when country is SG' }
const sg: Json = { full_name: 'John Doe', country: 'SG', singapore_work_rights: 'citizen' }
const au: Json = { full_name: 'Jane Roe', country: 'AU' }

describe('right_to_work: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ['v1 sample', example('v1-right-to-work.json').data.credential],
    ...batchSampleFields('right_to_work_items').map((f, i): [string, Json] => [`v2 batch sample item ${i}`, f]),
    ['Singapore citizen', sg],
    ['Singapore, another snake_case value', { ...sg, singapore_work_rights: 'employment_pass_2' }],
    ['Australia', au],
    ['Åland Islands (a less common assigned code)', { ...au, country: 'AX' }],
    ['partner_chain', { ...au, partner_chain: [{ name: 'Agent' }] }],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(rightToWork, fields, []))
  }
})

describe('right_to_work: invalid fields', () => {
  const invalid: Array<[string, Json, Array<ReturnType<typeof issue>>]> = [
    ['empty object', {}, [issue('/country', MSG.required), issue('/full_name', MSG.required)]],
    ['blank full_name', { ...au, full_name: '' }, [issue('/full_name', MSG.blank)]],
    [
      'typo',
      { ...omit(sg, 'singapore_work_rights'), singapore_work_right: 'citizen' },
      [issue('/singapore_work_rights', SG_ONLY.required), issue('/singapore_work_right', MSG.unknown)],
    ],
    ['lower-case country', { ...au, country: 'au' }, [issue('/country', COUNTRY)]],
    ['alpha-3 country', { ...au, country: 'AUS' }, [issue('/country', COUNTRY)]],
    ['country a number', { ...au, country: 61 }, [issue('/country', MSG.string)]],
    [
      'unassigned code',
      { ...au, country: 'XX' },
      [issue('/country', 'is not an assigned ISO 3166-1 alpha-2 country code')],
    ],
    [
      'reserved code UK',
      { ...au, country: 'UK' },
      [issue('/country', 'is not an assigned ISO 3166-1 alpha-2 country code')],
    ],
    [
      'Singapore without work rights',
      omit(sg, 'singapore_work_rights'),
      [issue('/singapore_work_rights', SG_ONLY.required)],
    ],
    [
      'work rights outside Singapore',
      { ...au, singapore_work_rights: 'citizen' },
      [issue('/singapore_work_rights', SG_ONLY.refused)],
    ],
    ['blank work rights', { ...sg, singapore_work_rights: '' }, [issue('/singapore_work_rights', SNAKE)]],
    [
      'work rights not snake_case',
      { ...sg, singapore_work_rights: 'Permanent Resident' },
      [issue('/singapore_work_rights', SNAKE)],
    ],
    ['work rights null', { ...sg, singapore_work_rights: null }, [issue('/singapore_work_rights', MSG.string)]],
    // With the country malformed, the Singapore rule is not applied (it could only mislead).
    ['lower-case sg with work rights', { ...sg, country: 'sg' }, [issue('/country', COUNTRY)]],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(rightToWork, fields, expected))
  }
})

describe('right_to_work: labels, display and normal form', () => {
  test('workRightsLabel', () => {
    assert.equal(workRightsLabel('citizen'), 'Singapore citizen')
    assert.equal(workRightsLabel('resident'), 'Singapore permanent resident')
    assert.equal(workRightsLabel('employment_pass'), 'employment pass')
    assert.equal(workRightsLabel('constructor'), 'constructor')
  })
  test('countryName', () => {
    assert.equal(countryName('SG'), 'Singapore')
    assert.equal(countryName('AU'), 'Australia')
    assert.equal(countryName('not a code'), 'not a code')
  })
  test('isCountryCode', () => {
    assert.equal(isCountryCode('NZ'), true)
    assert.equal(isCountryCode('nz'), false)
    assert.equal(isCountryCode('XK'), false)
    assert.equal(isCountryCode(64), false)
  })
  test('displayTitle', () => {
    assert.equal(rightToWork.displayTitle(sg as RightToWorkFields), 'Right to work in Singapore — Singapore citizen')
    assert.equal(rightToWork.displayTitle(au as RightToWorkFields), 'Right to work in Australia')
  })
  test('normalize returns an equal copy', () => {
    const normal = rightToWork.normalize(sg as RightToWorkFields)
    assert.deepEqual(normal, sg)
    assert.notEqual(normal, sg)
  })
})
