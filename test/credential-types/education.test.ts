import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { education, type EducationFields } from '../../src/modules/credential-types/education.js'
import { MSG, batchSampleFields, expectIssues, example, issue, omit, type Json } from './support.js'

const base = {
  full_name: 'John Smith',
  education_provider: 'University of Melbourne',
  course_name: 'Bachelor of Commerce',
  conferral_year: '2024',
}
const subject: Json = { name: 'Corporate Finance', code: 'FNCE30001', grade: 'H1', completion_date: '2024' }
const transcript = (oneSubject: Json = subject, overall: Json = { issuance_date: '2024-12-01' }): Json => ({
  overall,
  subjects: [oneSubject],
})

describe('education: valid fields', () => {
  const valid: Array<[string, Json]> = [
    ['v1 sample (open_cert)', example('v1-education-open-cert.json').data.credential],
    ...batchSampleFields('education_items').map((f, i): [string, Json] => [`v2 batch sample item ${i}`, f]),
    ['awaiting graduation, no conferral_year', { ...omit(base, 'conferral_year'), awaiting_graduation: true }],
    ['awaiting graduation, conferral_year null', { ...base, conferral_year: null, awaiting_graduation: true }],
    ['awaiting_graduation false with a year', { ...base, awaiting_graduation: false }],
    ['majors without has_majors', { ...base, majors: ['Finance', 'Economics'] }],
    ['has_majors false', { ...base, has_majors: false }],
    ['partner_chain null', { ...base, partner_chain: null }],
    ['partner_chain of two', { ...base, partner_chain: [{ name: 'Agent A' }, { name: 'Agent B' }] }],
    [
      'full transcript, leap days',
      {
        ...base,
        transcript: {
          overall: { issuance_date: '2024-02-29', score: '' },
          subjects: [
            { ...subject, credit: '12.5', score: '85' },
            { ...subject, code: 'X2', completion_date: '2024-02-29' },
          ],
        },
      },
    ],
    [
      'transcript without subjects taken',
      { ...base, transcript: { overall: { issuance_date: '2024-01-31' }, subjects: [] } },
    ],
  ]
  for (const [name, fields] of valid) {
    test(name, () => expectIssues(education, fields, []))
  }
})

describe('education: invalid fields', () => {
  const invalid: Array<[string, unknown, Array<ReturnType<typeof issue>>]> = [
    ['not an object', [], [issue('', MSG.object)]],
    ['null', null, [issue('', MSG.object)]],
    [
      'empty object',
      {},
      [
        issue('/conferral_year', 'is required unless awaiting_graduation is true'),
        issue('/course_name', MSG.required),
        issue('/education_provider', MSG.required),
        issue('/full_name', MSG.required),
      ],
    ],
    ['blank course_name', { ...base, course_name: '   ' }, [issue('/course_name', MSG.blank)]],
    ['empty education_provider', { ...base, education_provider: '' }, [issue('/education_provider', MSG.blank)]],
    ['full_name a number', { ...base, full_name: 42 }, [issue('/full_name', MSG.string)]],
    ['full_name null', { ...base, full_name: null }, [issue('/full_name', MSG.string)]],
    [
      'full_name too long',
      { ...base, full_name: 'x'.repeat(1001) },
      [issue('/full_name', 'must be at most 1000 characters long')],
    ],
    ['typo in a field name', { ...base, with_honors: true }, [issue('/with_honors', MSG.unknown)]],
    [
      'conferral_year missing',
      omit(base, 'conferral_year'),
      [issue('/conferral_year', 'is required unless awaiting_graduation is true')],
    ],
    [
      'conferral_year null',
      { ...base, conferral_year: null },
      [issue('/conferral_year', 'is required unless awaiting_graduation is true')],
    ],
    [
      'conferral_year missing, awaiting false',
      { ...omit(base, 'conferral_year'), awaiting_graduation: false },
      [issue('/conferral_year', 'is required unless awaiting_graduation is true')],
    ],
    [
      'conferral_year a number',
      { ...base, conferral_year: 2024 },
      [issue('/conferral_year', 'must be a string or null')],
    ],
    [
      'conferral_year not YYYY',
      { ...base, conferral_year: '24' },
      [issue('/conferral_year', 'must be a year in the form YYYY')],
    ],
    [
      'conferral_year while awaiting graduation',
      { ...base, awaiting_graduation: true },
      [issue('/conferral_year', 'must be null or absent when awaiting_graduation is true')],
    ],
    [
      // The type error alone: the conferral rule cannot tell what was meant.
      'awaiting_graduation a string',
      { ...omit(base, 'conferral_year'), awaiting_graduation: 'true' },
      [issue('/awaiting_graduation', 'must be a boolean (true or false)')],
    ],
    [
      'has_majors without majors',
      { ...base, has_majors: true },
      [issue('/majors', 'is required when has_majors is true')],
    ],
    [
      'has_majors with no majors',
      { ...base, has_majors: true, majors: [] },
      [issue('/majors', 'must contain at least one major when has_majors is true')],
    ],
    ['majors a string', { ...base, has_majors: true, majors: 'Finance' }, [issue('/majors', 'must be an array')]],
    ['blank major', { ...base, majors: ['Finance', ' '] }, [issue('/majors/1', MSG.blank)]],
    ['too many majors', { ...base, majors: Array(51).fill('M') }, [issue('/majors', 'must contain at most 50 items')]],
    [
      'with_honours a string',
      { ...base, with_honours: 'yes' },
      [issue('/with_honours', 'must be a boolean (true or false)')],
    ],
    [
      'partner_chain a string',
      { ...base, partner_chain: 'Agent' },
      [issue('/partner_chain', 'must be an array or null')],
    ],
    [
      'partner_chain entries wrong',
      { ...base, partner_chain: [{ name: ' ' }, {}, { name: 'A', url: 'x' }] },
      [
        issue('/partner_chain/0/name', MSG.blank),
        issue('/partner_chain/1/name', MSG.required),
        issue('/partner_chain/2/url', MSG.unknown),
      ],
    ],
    [
      'transcript without subjects',
      { ...base, transcript: { overall: { issuance_date: '2024-01-01' } } },
      [issue('/transcript/subjects', MSG.required)],
    ],
    [
      'transcript without overall',
      { ...base, transcript: { subjects: [] } },
      [issue('/transcript/overall', MSG.required)],
    ],
    [
      'transcript issuance_date not a real date',
      { ...base, transcript: transcript(subject, { issuance_date: '2024-02-30' }) },
      [issue('/transcript/overall/issuance_date', MSG.date)],
    ],
    [
      'transcript subject incomplete and mistyped',
      {
        ...base,
        transcript: transcript({ ...omit(subject, 'code'), grade: 7, credit: 12, completion_date: '2023-02-29' }),
      },
      [
        issue('/transcript/subjects/0/code', MSG.required),
        issue('/transcript/subjects/0/completion_date', 'must be a year (YYYY) or a real calendar date (YYYY-MM-DD)'),
        issue('/transcript/subjects/0/credit', MSG.string),
        issue('/transcript/subjects/0/grade', MSG.string),
      ],
    ],
    [
      'completion_date as a month',
      { ...base, transcript: transcript({ ...subject, completion_date: '2024-06' }) },
      [issue('/transcript/subjects/0/completion_date', 'must be a year (YYYY) or a real calendar date (YYYY-MM-DD)')],
    ],
    [
      'schema and cross-field problems together',
      { ...omit(base, 'conferral_year'), full_name: ' ', has_majors: true, majors: [], honours: true },
      [
        issue('/conferral_year', 'is required unless awaiting_graduation is true'),
        issue('/full_name', MSG.blank),
        issue('/honours', MSG.unknown),
        issue('/majors', 'must contain at least one major when has_majors is true'),
      ],
    ],
  ]
  for (const [name, fields, expected] of invalid) {
    test(name, () => expectIssues(education, fields, expected))
  }
})

describe('education: display and normal form', () => {
  test('displayTitle of the sample: honours and majors', () => {
    const fields = example('v1-education-open-cert.json').data.credential
    assert.equal(education.displayTitle(fields), 'Bachelor of Commerce (Honours) — majoring in Finance')
  })
  test('displayTitle with several majors, no honours', () => {
    const fields = { ...base, majors: ['IT', 'Mathematics'] } as EducationFields
    assert.equal(education.displayTitle(fields), 'Bachelor of Commerce — majoring in IT, Mathematics')
  })
  test('displayTitle with neither', () => {
    assert.equal(
      education.displayTitle({ ...base, with_honours: false, majors: [] } as EducationFields),
      'Bachelor of Commerce',
    )
  })
  test('normalize returns an equal copy', () => {
    const fields = { ...base, majors: ['IT'] } as EducationFields
    const normal = education.normalize(fields)
    assert.deepEqual(normal, fields)
    assert.notEqual(normal, fields)
  })
})
