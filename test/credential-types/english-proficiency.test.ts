import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  CEFR_LEVELS,
  canonicalCefrLevel,
  englishProficiency,
  type EnglishProficiencyFields,
} from '../../src/modules/credential-types/english-proficiency.js'
import { MSG, batchSampleFields, expectIssues, issue, omit, type Json } from './support.js'

const CEFR = 'must be a CEFR level: Pre-A1, A1, A2, B1, B2, C1 or C2'

const scores = (cefr: Json = { combined: 'B2' }, overall: Json = { score: '120', scale: 'EnglishScore' }): Json => ({
  cefr_scores: cefr,
  overall,
})
const base: Json = {
  full_name: 'John Doe',
  test_provider: 'Skill Test Provider',
  test_name: 'English SPEAKING',
  completion_date: '2024-01-01',
  test_scores: scores(),
}

describe('english_proficiency: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ...batchSampleFields('english_proficiency_items').map((f, i): [string, Json] => [`v2 batch sample item ${i}`, f]),
    ['no expiry', base],
    ['expiry on the completion day', { ...base, expiry_date: '2024-01-01' }],
    ['leap day', { ...base, completion_date: '2024-02-29', expiry_date: '2028-02-29' }],
    [
      'every skill, any case',
      {
        ...base,
        test_scores: scores({ combined: 'pre-a1', reading: 'a2', listening: 'B1', speaking: 'c1', writing: 'C2' }),
      },
    ],
    ['no CEFR level at all', { ...base, test_scores: scores({}) }],
    ['subskills', { ...base, test_scores: { ...scores(), subskills: [{ skill: 'Grammar', score: '80' }] } }],
    ['partner_chain at the credential level', { ...base, partner_chain: [{ name: 'Agent' }] }],
    [
      'partner_chain inside test_scores (compatibility)',
      { ...base, test_scores: { ...scores(), partner_chain: [{ name: 'Agent' }] } },
    ],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(englishProficiency, fields, []))
  }
})

describe('english_proficiency: invalid fields', () => {
  const invalid: Array<[string, Json, Array<ReturnType<typeof issue>>]> = [
    [
      'empty object',
      {},
      ['completion_date', 'full_name', 'test_name', 'test_provider', 'test_scores'].map((f) =>
        issue(`/${f}`, MSG.required),
      ),
    ],
    ['blank test_name', { ...base, test_name: '\t ' }, [issue('/test_name', MSG.blank)]],
    ['typo', { ...base, test_score: {} }, [issue('/test_score', MSG.unknown)]],
    [
      'completion_date not a real date',
      { ...base, completion_date: '2023-02-29' },
      [issue('/completion_date', MSG.date)],
    ],
    ['completion_date null', { ...base, completion_date: null }, [issue('/completion_date', MSG.string)]],
    [
      'expiry before completion',
      { ...base, expiry_date: '2023-12-31' },
      [issue('/expiry_date', 'must not be before completion_date')],
    ],
    // A broken completion date is reported once, not again as an ordering problem.
    [
      'expiry after a broken completion date',
      { ...base, completion_date: '2024-01-32', expiry_date: '2023-01-01' },
      [issue('/completion_date', MSG.date)],
    ],
    [
      'test_scores without parts',
      { ...base, test_scores: {} },
      [issue('/test_scores/cefr_scores', MSG.required), issue('/test_scores/overall', MSG.required)],
    ],
    [
      'unknown CEFR level',
      { ...base, test_scores: scores({ reading: 'D1' }) },
      [issue('/test_scores/cefr_scores/reading', CEFR)],
    ],
    [
      'Pre-B1 is not a level',
      { ...base, test_scores: scores({ combined: 'Pre-B1' }) },
      [issue('/test_scores/cefr_scores/combined', CEFR)],
    ],
    [
      'padded level',
      { ...base, test_scores: scores({ combined: ' B2' }) },
      [issue('/test_scores/cefr_scores/combined', CEFR)],
    ],
    [
      'unknown skill',
      { ...base, test_scores: scores({ grammar: 'B2' }) },
      [issue('/test_scores/cefr_scores/grammar', MSG.unknown)],
    ],
    [
      'overall incomplete and mistyped',
      { ...base, test_scores: scores(undefined, { score: 100 }) },
      [issue('/test_scores/overall/scale', MSG.required), issue('/test_scores/overall/score', MSG.string)],
    ],
    [
      'subskill incomplete',
      { ...base, test_scores: { ...scores(), subskills: [{ skill: ' ' }] } },
      [issue('/test_scores/subskills/0/score', MSG.required), issue('/test_scores/subskills/0/skill', MSG.blank)],
    ],
    [
      'partner_chain in test_scores malformed',
      { ...base, test_scores: { ...scores(), partner_chain: {} } },
      [issue('/test_scores/partner_chain', 'must be an array or null')],
    ],
    [
      'schema and ordering problems together',
      { ...omit(base, 'full_name'), expiry_date: '2023-01-01' },
      [issue('/expiry_date', 'must not be before completion_date'), issue('/full_name', MSG.required)],
    ],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(englishProficiency, fields, expected))
  }
})

describe('english_proficiency: CEFR levels, display and normal form', () => {
  test('canonicalCefrLevel', () => {
    for (const level of CEFR_LEVELS) {
      assert.equal(canonicalCefrLevel(level.toLowerCase()), level)
      assert.equal(canonicalCefrLevel(level.toUpperCase()), level)
    }
    assert.equal(canonicalCefrLevel('D1'), undefined)
  })
  test('normalize spells every level canonically and leaves the input alone', () => {
    const fields = {
      ...base,
      test_scores: scores({ combined: 'pre-a1', reading: 'b2', writing: 'C1' }),
    } as EnglishProficiencyFields
    const before = structuredClone(fields)
    const normal = englishProficiency.normalize(fields)
    assert.deepEqual(normal.test_scores.cefr_scores, { combined: 'Pre-A1', reading: 'B2', writing: 'C1' })
    assert.deepEqual(omit(normal, 'test_scores'), omit(fields, 'test_scores'))
    assert.deepEqual(fields, before)
  })
  test('displayTitle is the test name', () => {
    assert.equal(englishProficiency.displayTitle(base as EnglishProficiencyFields), 'English SPEAKING')
  })
})
