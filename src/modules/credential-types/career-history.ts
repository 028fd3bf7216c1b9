import { Type, type Static } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'
import {
  copyOf,
  isRecord,
  isYearMonth,
  nonBlank,
  notBefore,
  nullable,
  partnerChainProperty,
  strictObject,
  yearMonth,
  type Unchecked,
} from './common.js'
import type { CredentialTypeDefinition } from './types.js'

const EmploymentSchema = strictObject(
  {
    organisation: nonBlank('Name of the company or employer.'),
    role_classification: Type.Optional(
      nonBlank(
        'Category or type of the position held. At least one of `role_classification` and `role_title` is required.',
      ),
    ),
    role_title: Type.Optional(
      nonBlank(
        'Official job title for the period. At least one of `role_classification` and `role_title` is required.',
      ),
    ),
    start_date: yearMonth('Month employment began, `YYYY-MM`.'),
    end_date: Type.Optional(
      nullable(yearMonth('Month employment ended, `YYYY-MM`, not before `start_date`; null or absent while current.')),
    ),
    last_processed_month: yearMonth('Most recent month for which the employment data was updated, `YYYY-MM`.'),
  },
  'One period of employment.',
)

/** `fields` of a career history (spec §4.6). */
export const CareerHistoryFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the employee.'),
    employment: Type.Array(EmploymentSchema, {
      description: 'Periods of employment; at least one.',
      minItems: 1,
      maxItems: 100,
    }),
    ...partnerChainProperty,
  },
  'A career history: the employment periods known to the partner.',
)

/** A validated career history. */
export type CareerHistoryFields = Static<typeof CareerHistoryFieldsSchema>

function checkCareerHistory(f: Unchecked): ValidationIssue[] {
  if (!Array.isArray(f.employment)) return []
  return f.employment.flatMap((entry: unknown, index) => {
    if (!isRecord(entry)) return []
    const base = `/employment/${index}`
    const role =
      entry.role_classification === undefined && entry.role_title === undefined
        ? [{ pointer: base, message: 'needs role_classification or role_title' }]
        : []
    return [...role, ...notBefore(entry, 'end_date', 'start_date', isYearMonth, base)]
  })
}

function titleOf(f: CareerHistoryFields): string {
  const latest = f.employment.reduce((a, b) => (b.start_date > a.start_date ? b : a))
  const role = latest.role_title ?? latest.role_classification ?? 'Employment'
  const earlier = f.employment.length - 1
  const more = earlier === 0 ? '' : ` and ${earlier} earlier ${earlier === 1 ? 'role' : 'roles'}`
  return `${role} at ${latest.organisation}${more}`
}

/** Career history (spec §4.6); a single item in a v2 batch. */
export const careerHistory: CredentialTypeDefinition<typeof CareerHistoryFieldsSchema> = {
  name: 'career_history',
  title: 'Career history',
  scope: 'write.career_history',
  redirectPath: 'careerHistory',
  v1DocumentTypes: ['none'],
  assetTypes: [],
  maxAssets: null,
  batchSection: { key: 'career_history', kind: 'single' },
  issuerField: null,
  fields: CareerHistoryFieldsSchema,
  check: checkCareerHistory,
  normalize: copyOf,
  displayTitle: titleOf,
}
