import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeEachBackend, type TestApp } from '../support/app.js'
import { makePartnerWithToken } from '../support/factories.js'
import {
  V1_TYPES,
  TYPES,
  assertValidation,
  countSubmissions,
  typeInfo,
  v1Body,
  v1Path,
  v2Body,
  v2Path,
  type Issue,
} from '../support/intake-helpers.js'

/**
 * Field validation through the API (spec §3.3, §4): every problem of a body at once, schema and
 * cross-field rules together, each with a JSON pointer into the body as sent — `/data/credential/…`
 * on v1, `/fields/…` on v2. Batch pointers, documents and assets are in the other validation files.
 */

interface FieldCase {
  /** Valid fields of the type, changed into invalid ones. */
  fields: (valid: Record<string, unknown>) => Record<string, unknown>
  /** Expected issues, pointers relative to the fields object. */
  issues: Issue[]
  /** Further issues on v1 single adds only. */
  v1Issues?: Issue[]
}

const NOT_ALLOWED = 'is not an allowed property (check the spelling)'
const BLANK = 'must not be empty or blank'
const NOT_A_DATE = 'must be a real calendar date in the form YYYY-MM-DD'

/** One body per type with several problems: schema errors and cross-field rules together. */
const FIELD_CASES: Record<string, FieldCase> = {
  education: {
    fields: (f) => ({
      ...f,
      full_name: '   ',
      has_majors: true,
      majors: [],
      awaiting_graduation: true,
      conferral_year: '2024',
    }),
    issues: [
      { pointer: '/full_name', message: BLANK },
      { pointer: '/majors', message: 'must contain at least one major when has_majors is true' },
      { pointer: '/conferral_year', message: 'must be null or absent when awaiting_graduation is true' },
    ],
  },
  english_proficiency: {
    fields: (f) => ({
      ...f,
      completion_date: '2024-06-01',
      expiry_date: '2024-05-31',
      test_scores: { cefr_scores: { writing: 'D1', reading: 'c1' } },
    }),
    issues: [
      { pointer: '/expiry_date', message: 'must not be before completion_date' },
      {
        pointer: '/test_scores/cefr_scores/writing',
        message: 'must be a CEFR level: Pre-A1, A1, A2, B1, B2, C1 or C2',
      },
      { pointer: '/test_scores/overall', message: 'is required' },
    ],
  },
  microcredential: {
    fields: ({ microcredential_name: _, ...f }) => ({ ...f, issue_date: '2024-02-30', assessment_result: 85 }),
    issues: [
      { pointer: '/microcredential_name', message: 'is required' },
      { pointer: '/issue_date', message: NOT_A_DATE },
      { pointer: '/assessment_result', message: 'must be a string or null' },
    ],
  },
  digital_identity: {
    fields: ({ full_name: _, identity_document_validity: _v, identity_document_person_match: _p, ...f }) => ({
      ...f,
      identity_document_liveness: 'remote',
      date_of_birth: '1990-13-01',
    }),
    issues: [
      { pointer: '/full_name', message: 'is required' },
      { pointer: '/date_of_birth', message: NOT_A_DATE },
      { pointer: '/identity_document_liveness', message: 'must be one of: "automated", "in_person"' },
    ],
    // Spec §4.4: the assurance fields are required on v1 single adds only.
    v1Issues: [
      { pointer: '/identity_document_validity', message: 'is required' },
      { pointer: '/identity_document_person_match', message: 'is required' },
    ],
  },
  right_to_work: {
    fields: ({ singapore_work_rights: _, ...f }) => ({ ...f, full_name: '', visa: 'TSS' }),
    issues: [
      { pointer: '/full_name', message: BLANK },
      { pointer: '/visa', message: NOT_ALLOWED },
      { pointer: '/singapore_work_rights', message: 'is required when country is SG' },
    ],
  },
  career_history: {
    fields: (f) => ({
      ...f,
      employment: [
        { organisation: 'Company A', role_title: 'Engineer', start_date: '2024-01', last_processed_month: '2024-07' },
        { organisation: 'Company B', start_date: '2024-05', end_date: '2024-01', last_processed_month: '2024-13' },
      ],
    }),
    issues: [
      { pointer: '/employment/1', message: 'needs role_classification or role_title' },
      { pointer: '/employment/1/end_date', message: 'must not be before start_date' },
      { pointer: '/employment/1/last_processed_month', message: 'must be a month in the form YYYY-MM' },
    ],
  },
  universal_credential: {
    fields: ({ credential_category: _, ...f }) => ({
      ...f,
      issue_date: '2024-05-01',
      expiry_date: '2024-04-30',
      credential_details: { speciality: [' '], colour: 'red' },
    }),
    issues: [
      { pointer: '/credential_category', message: 'is required unless credential_sub_type is given' },
      { pointer: '/expiry_date', message: 'must not be before issue_date' },
      { pointer: '/credential_details/speciality/0', message: BLANK },
      { pointer: '/credential_details/colour', message: NOT_ALLOWED },
    ],
  },
}

const prefixed = (prefix: string, issues: Issue[]) =>
  issues.map((i) => ({ pointer: prefix + i.pointer, message: i.message }))

/** v1 `document_type` values per type (spec §4), in the order the spec lists them. */
const V1_DOCUMENT_TYPES: Record<string, string[]> = {
  education: ['pdf', 'open_cert', 'none'],
  english_proficiency: ['english_assessment'],
  microcredential: ['pdf', 'png', 'jpg', 'open_cert', 'none'],
  digital_identity: ['none'],
  right_to_work: ['none'],
  career_history: ['none'],
}
const oneOf = (values: string[]) => `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`

describeEachBackend('validation of credential fields through the API', (use) => {
  let token: string
  let partnerId: string
  const auth = async (t: TestApp) => {
    if (!token) {
      const made = await makePartnerWithToken(t)
      token = made.token
      partnerId = made.client.partner_id
    }
    return token
  }
  const post = async (url: string, json: unknown) => use().request('POST', url, { json, token: await auth(use()) })

  for (const type of TYPES) {
    const testCase = FIELD_CASES[type.name]!
    test(`${type.name}, v2: every problem at once, pointers under /fields`, async () => {
      const response = await post(v2Path(type.name), v2Body(type.name, undefined, testCase.fields(type.fields())))
      assertValidation(response, prefixed('/fields', testCase.issues))
    })
    if (type.v1NoDocument === null) continue
    test(`${type.name}, v1: every problem at once, pointers under /data/credential`, async () => {
      const response = await post(v1Path(type.name), v1Body(type.name, undefined, testCase.fields(type.fields())))
      assertValidation(response, prefixed('/data/credential', [...testCase.issues, ...(testCase.v1Issues ?? [])]))
    })
  }

  test('the valid fields of every type are accepted on v1 and v2 (the cases above differ only by their faults)', async () => {
    for (const type of TYPES) {
      const v2 = await post(v2Path(type.name), v2Body(type.name))
      assert.equal(v2.status, 201, `${type.name} v2: ${v2.text}`)
      if (type.v1NoDocument === null) continue
      const v1 = await post(v1Path(type.name), v1Body(type.name))
      assert.equal(v1.status, 201, `${type.name} v1: ${v1.text}`)
    }
  })

  test('envelope and field problems together: unknown members at every level, each named', async () => {
    const body = {
      ...v1Body('education'),
      extra: 1,
      data: { credential: { ...typeInfo('education').fields(), gpa: '7' }, documnet: null },
    }
    assertValidation(await post(v1Path('education'), body), [
      { pointer: '/extra', message: NOT_ALLOWED },
      { pointer: '/data/documnet', message: NOT_ALLOWED },
      { pointer: '/data/credential/gpa', message: NOT_ALLOWED },
    ])
    const v2 = {
      ...v2Body('microcredential'),
      asset: [],
      fields: { ...typeInfo('microcredential').fields(), 'a/b~c': 1 },
    }
    assertValidation(await post(v2Path('microcredential'), v2), [
      { pointer: '/asset', message: NOT_ALLOWED },
      { pointer: '/fields/a~1b~0c', message: NOT_ALLOWED },
    ])
  })

  test('a missing credential object is reported once, where it is missing', async () => {
    const { data: _, ...noData } = v1Body('right_to_work')
    assertValidation(await post(v1Path('right_to_work'), noData), [{ pointer: '/data', message: 'is required' }])
    assertValidation(await post(v1Path('right_to_work'), { ...noData, data: {} }), [
      { pointer: '/data/credential', message: 'is required' },
    ])
    const { fields: _f, ...noFields } = v2Body('education')
    assertValidation(await post(v2Path('education'), noFields), [{ pointer: '/fields', message: 'is required' }])
    assertValidation(await post(v2Path('education'), { ...noFields, fields: [] }), [
      { pointer: '/fields', message: 'must be an object' },
    ])
  })

  test('v1: credential_type must equal the type of the path', async () => {
    for (const type of V1_TYPES) {
      const other = type.name === 'education' ? 'microcredential' : 'education'
      const response = await post(v1Path(type.name), { ...v1Body(type.name), credential_type: other })
      assertValidation(response, [
        { pointer: '/credential_type', message: `must be "${type.name}", the credential type of the path` },
      ])
    }
    const { credential_type: _, ...missing } = v1Body('right_to_work')
    assertValidation(await post(v1Path('right_to_work'), missing), [
      { pointer: '/credential_type', message: 'is required' },
    ])
  })

  test('v1: a document_type the type does not take → /document_type naming the allowed values', async () => {
    for (const type of V1_TYPES) {
      const allowed = V1_DOCUMENT_TYPES[type.name]!
      for (const bad of ['xml', type.name === 'english_proficiency' ? 'pdf' : 'english_assessment']) {
        const response = await post(v1Path(type.name), { ...v1Body(type.name), document_type: bad })
        assertValidation(response, [{ pointer: '/document_type', message: oneOf(allowed) }])
      }
    }
  })

  test('v1 document rules: pdf without document, none with one, open_cert not JSON, a non-URL string', async () => {
    const micro = (document_type: string, document?: unknown) => {
      const body = v1Body('microcredential')
      return { ...body, document_type, data: { ...body.data, ...(document === undefined ? {} : { document }) } }
    }
    const at = (message: string) => [{ pointer: '/data/document', message }]
    assertValidation(await post(v1Path('microcredential'), micro('pdf')), at('is required when document_type is pdf'))
    assertValidation(
      await post(v1Path('microcredential'), micro('png', null)),
      at('is required when document_type is png'),
    )
    assertValidation(
      await post(v1Path('microcredential'), micro('jpg', '  ')),
      at('is required when document_type is jpg'),
    )
    assertValidation(
      await post(v1Path('microcredential'), micro('none', 'https://example.com/c.pdf')),
      at('must be null or absent when document_type is none'),
    )
    assertValidation(
      await post(v1Path('microcredential'), micro('open_cert', 'not json {')),
      at('must be the OpenCerts document as JSON text'),
    )
    assertValidation(
      await post(v1Path('microcredential'), micro('open_cert', '[1, 2]')),
      at('must be the OpenCerts document as JSON text'),
    )
    assertValidation(
      await post(v1Path('microcredential'), micro('pdf', 'certificate.pdf')),
      at('must be an absolute https URL (or a data: URL)'),
    )
    assertValidation(await post(v1Path('microcredential'), micro('pdf', 42)), at('must be a string or null'))
    // The documented valid forms, for contrast.
    assert.equal((await post(v1Path('microcredential'), micro('none', null))).status, 201)
    assert.equal((await post(v1Path('microcredential'), micro('pdf', 'https://example.com/c.pdf'))).status, 201)
    assert.equal((await post(v1Path('microcredential'), micro('open_cert', '{"version":"x"}'))).status, 201)
    const english = {
      ...v1Body('english_proficiency'),
      data: { credential: typeInfo('english_proficiency').fields(), document: null },
    }
    assert.equal(
      (await post(v1Path('english_proficiency'), english)).status,
      201,
      'english_assessment takes a PDF URL or null',
    )
  })

  test('no 400 leaves a submission behind', async () => {
    const t = use()
    await auth(t)
    const before = await countSubmissions(t, partnerId)
    const response = await post(
      v1Path('education'),
      v1Body('education', undefined, FIELD_CASES.education!.fields(typeInfo('education').fields())),
    )
    assert.equal(response.status, 400)
    assert.equal(await countSubmissions(t, partnerId), before)
  })
})
