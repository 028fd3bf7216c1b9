// A plain JSON Schema of the v2 batch for the ajv + JSONB baseline: the envelope and, per section,
// each item's fields with their required members, formats, patterns and lengths — about the checks
// Credport's schemas make (src/modules/credential-types/*, src/modules/intake-bodies/intake.schemas.ts),
// written by hand so the baseline depends on nothing in src/. Credport also runs cross-field rules
// (dates in order, conditional fields), scope and limit checks, which a schema alone cannot express.

type Schema = Record<string, unknown>

const NAME_MAX = 1000
const TEXT_MAX = 10_000

const object = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
})
const nullable = (schema: Schema): Schema => ({ ...schema, type: [schema.type, 'null'] })
const nonBlank = (maxLength = NAME_MAX): Schema => ({ type: 'string', pattern: '\\S', maxLength })
const text = (maxLength = TEXT_MAX): Schema => ({ type: 'string', maxLength })
const date: Schema = { type: 'string', format: 'date' }
const year: Schema = { type: 'string', pattern: '^\\d{4}$' }
const month: Schema = { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }
const cefr: Schema = { type: 'string', pattern: '^(?:[Pp][Rr][Ee]-[Aa]1|[AaBbCc][12])$' }
const partnerChain = nullable({ type: 'array', maxItems: 20, items: object({ name: nonBlank() }, ['name']) })

const education = object(
  {
    full_name: nonBlank(),
    education_provider: nonBlank(),
    course_name: nonBlank(),
    conferral_year: nullable(year),
    awaiting_graduation: { type: 'boolean' },
    has_majors: { type: 'boolean' },
    majors: { type: 'array', maxItems: 50, items: nonBlank() },
    with_honours: { type: 'boolean' },
    transcript: object(
      {
        overall: object({ issuance_date: date, score: text(100) }, ['issuance_date']),
        subjects: {
          type: 'array',
          maxItems: 200,
          items: object(
            {
              name: nonBlank(),
              code: nonBlank(),
              credit: text(100),
              score: text(100),
              grade: nonBlank(100),
              completion_date: { anyOf: [year, date] },
            },
            ['name', 'code', 'grade', 'completion_date'],
          ),
        },
      },
      ['overall', 'subjects'],
    ),
    partner_chain: partnerChain,
  },
  ['full_name', 'education_provider', 'course_name'],
)

const englishProficiency = object(
  {
    full_name: nonBlank(),
    test_provider: nonBlank(),
    test_name: nonBlank(),
    completion_date: date,
    expiry_date: date,
    test_scores: object(
      {
        cefr_scores: object({ combined: cefr, reading: cefr, listening: cefr, speaking: cefr, writing: cefr }),
        overall: object({ score: nonBlank(100), scale: nonBlank() }, ['score', 'scale']),
        subskills: {
          type: 'array',
          maxItems: 50,
          items: object({ skill: nonBlank(), score: nonBlank(100) }, ['skill', 'score']),
        },
        partner_chain: partnerChain,
      },
      ['cefr_scores', 'overall'],
    ),
    partner_chain: partnerChain,
  },
  ['full_name', 'test_provider', 'test_name', 'completion_date', 'test_scores'],
)

const microcredential = object(
  {
    full_name: nonBlank(),
    issuer_name: nonBlank(),
    microcredential_name: nonBlank(),
    issue_date: date,
    expiry_date: date,
    assessment_result: nullable(text(1000)),
    partner_chain: partnerChain,
  },
  ['full_name', 'issuer_name', 'microcredential_name', 'issue_date'],
)

const digitalIdentity = object(
  {
    full_name: nonBlank(),
    date_of_birth: nullable(date),
    identity_document_validity: { type: 'string', enum: ['manual', 'government_database', 'verifiable_credential'] },
    identity_document_liveness: { type: 'string', enum: ['automated', 'in_person'] },
    identity_document_person_match: { type: 'string', enum: ['manual', 'automated', 'government_database'] },
    identity_verification_level: { type: 'string', enum: ['basic', 'standard'] },
    partner_chain: partnerChain,
  },
  ['full_name'],
)

const rightToWork = object(
  {
    full_name: nonBlank(),
    country: { type: 'string', pattern: '^[A-Z]{2}$' },
    singapore_work_rights: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 100 },
    partner_chain: partnerChain,
  },
  ['full_name', 'country'],
)

const careerHistory = object(
  {
    full_name: nonBlank(),
    employment: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: object(
        {
          organisation: nonBlank(),
          role_classification: nonBlank(),
          role_title: nonBlank(),
          start_date: month,
          end_date: nullable(month),
          last_processed_month: month,
        },
        ['organisation', 'start_date', 'last_processed_month'],
      ),
    },
    partner_chain: partnerChain,
  },
  ['full_name', 'employment'],
)

const optionalName = nullable(nonBlank())
const universalCredential = object(
  {
    full_name: nonBlank(),
    credential_name: nonBlank(),
    credential_category: nonBlank(),
    credential_sub_type: nonBlank(),
    issuer_name: nonBlank(),
    issue_date: date,
    expiry_date: nullable(date),
    credential_details: nullable(
      object({
        scope_of_practice: nullable(text()),
        speciality: nullable({ type: 'array', maxItems: 50, items: nonBlank() }),
        version: optionalName,
        date_completed: nullable(date),
        country: optionalName,
        state: optionalName,
        province: optionalName,
        city: optionalName,
        region: optionalName,
        place: optionalName,
      }),
    ),
    partner_chain: partnerChain,
  },
  ['full_name', 'credential_name', 'issuer_name'],
)

const asset = object(
  {
    asset_id: nonBlank(255),
    asset_type: { type: 'string', enum: ['pdf', 'png', 'jpg', 'open_cert'] },
    asset_data: nullable({ type: 'string', maxLength: 30_000_000 }),
  },
  ['asset_id', 'asset_type'],
)

const item = (fields: Schema): Schema =>
  object(
    {
      credential_id: nonBlank(255),
      fields,
      assets: nullable({ type: 'array', maxItems: 100, items: asset }),
      partner_chain: partnerChain,
    },
    ['credential_id', 'fields'],
  )
const section = (fields: Schema): Schema => nullable({ type: 'array', maxItems: 100, items: item(fields) })

/** The v2 batch body (spec §5.1). */
export const V2BatchJsonSchema: Schema = object(
  {
    credential_id: nonBlank(255),
    education_items: section(education),
    english_proficiency_items: section(englishProficiency),
    microcredential_items: section(microcredential),
    right_to_work_items: section(rightToWork),
    universal_credential_items: section(universalCredential),
    digital_identity: nullable(item(digitalIdentity)),
    career_history: nullable(item(careerHistory)),
  },
  ['credential_id'],
)
