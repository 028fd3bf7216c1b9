import { Type, type Static } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'
import {
  calendarDate,
  copyOf,
  nonBlank,
  nullable,
  partnerChainProperty,
  strictObject,
  text,
  year,
  type Unchecked,
} from './common.js'
import type { CredentialTypeDefinition } from './types.js'

const TranscriptSubjectSchema = strictObject(
  {
    name: nonBlank('Subject name.'),
    code: nonBlank('Subject code.'),
    credit: Type.Optional(text('Credit points, as printed on the transcript.', 100)),
    score: Type.Optional(text('Score, as printed on the transcript.', 100)),
    grade: nonBlank('Grade, as printed on the transcript.', 100),
    completion_date: Type.Union([year('A year `YYYY`.'), calendarDate('A date `YYYY-MM-DD`.')], {
      description: 'When the subject was completed: a year `YYYY` or a date `YYYY-MM-DD`.',
      errorMessage: 'must be a year (YYYY) or a real calendar date (YYYY-MM-DD)',
    }),
  },
  'One subject of the transcript.',
)

const TranscriptSchema = strictObject(
  {
    overall: strictObject(
      {
        issuance_date: calendarDate('Date the transcript was issued, `YYYY-MM-DD`.'),
        score: Type.Optional(text('Overall score, e.g. a grade point average.', 100)),
      },
      'Transcript-wide results.',
    ),
    subjects: Type.Array(TranscriptSubjectSchema, { description: 'Subjects studied.', maxItems: 200 }),
  },
  'Academic transcript; every value is a string.',
)

/** `fields` of an education qualification (spec §4.1). */
export const EducationFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the graduate, as on the qualification.'),
    education_provider: nonBlank('Name of the institution that awarded the qualification (the issuer).'),
    course_name: nonBlank('Name of the qualification, e.g. "Bachelor of Commerce".'),
    conferral_year: Type.Optional(
      nullable(year('Year of conferral `YYYY`. Required unless `awaiting_graduation` is true; then null or absent.')),
    ),
    awaiting_graduation: Type.Optional(
      Type.Boolean({ description: 'True for a graduand who met every requirement but is not yet conferred.' }),
    ),
    has_majors: Type.Optional(
      Type.Boolean({ description: 'True when the qualification has majors; `majors` is then required.' }),
    ),
    majors: Type.Optional(
      Type.Array(nonBlank('Name of one major.'), { description: 'Majors, e.g. ["Finance"].', maxItems: 50 }),
    ),
    with_honours: Type.Optional(Type.Boolean({ description: 'True when awarded with honours.' })),
    transcript: Type.Optional(TranscriptSchema),
    ...partnerChainProperty,
  },
  'An education qualification.',
)

/** A validated education qualification. */
export type EducationFields = Static<typeof EducationFieldsSchema>

function checkEducation(f: Unchecked): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const awaiting = f.awaiting_graduation
  const conferral = f.conferral_year
  if (awaiting === true && conferral !== undefined && conferral !== null) {
    issues.push({ pointer: '/conferral_year', message: 'must be null or absent when awaiting_graduation is true' })
  }
  if ((awaiting === undefined || awaiting === false) && (conferral === undefined || conferral === null)) {
    issues.push({ pointer: '/conferral_year', message: 'is required unless awaiting_graduation is true' })
  }
  if (f.has_majors === true) {
    if (f.majors === undefined) issues.push({ pointer: '/majors', message: 'is required when has_majors is true' })
    else if (Array.isArray(f.majors) && f.majors.length === 0) {
      issues.push({ pointer: '/majors', message: 'must contain at least one major when has_majors is true' })
    }
  }
  return issues
}

function titleOf(f: EducationFields): string {
  const honours = f.with_honours ? ' (Honours)' : ''
  const majors = f.majors?.length ? ` — majoring in ${f.majors.join(', ')}` : ''
  return `${f.course_name}${honours}${majors}`
}

/** Education qualification (spec §4.1). */
export const education: CredentialTypeDefinition<typeof EducationFieldsSchema> = {
  name: 'education',
  title: 'Qualification',
  scope: 'write.education',
  redirectPath: 'education',
  v1DocumentTypes: ['pdf', 'open_cert', 'none'],
  assetTypes: ['pdf', 'open_cert'],
  maxAssets: null,
  batchSection: { key: 'education_items', kind: 'array' },
  issuerField: 'education_provider',
  fields: EducationFieldsSchema,
  check: checkEducation,
  normalize: copyOf,
  displayTitle: titleOf,
}
