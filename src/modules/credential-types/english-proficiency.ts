import { Type, type Static } from 'typebox'
import {
  calendarDate,
  copyOf,
  nonBlank,
  notBefore,
  partnerChain,
  partnerChainProperty,
  strictObject,
} from './common.js'
import type { CredentialTypeDefinition } from './types.js'

/** The CEFR levels in their canonical spelling, lowest first. */
export const CEFR_LEVELS = ['Pre-A1', 'A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const

/** A canonical CEFR level. */
export type CefrLevel = (typeof CEFR_LEVELS)[number]

const CANONICAL_LEVEL = new Map<string, CefrLevel>(CEFR_LEVELS.map((level) => [level.toUpperCase(), level]))

/** The canonical spelling of a CEFR level given in any case ('pre-a1' → 'Pre-A1'); undefined if it is none. */
export function canonicalCefrLevel(value: string): CefrLevel | undefined {
  return CANONICAL_LEVEL.get(value.toUpperCase())
}

const cefrLevel = (skill: string) =>
  Type.Optional(
    Type.String({
      description: `CEFR level for ${skill}: Pre-A1, A1, A2, B1, B2, C1 or C2 (any case; stored in this spelling).`,
      // JavaScript patterns have no case-insensitive flag, hence the character classes.
      pattern: '^(?:[Pp][Rr][Ee]-[Aa]1|[AaBbCc][12])$',
      errorMessage: 'must be a CEFR level: Pre-A1, A1, A2, B1, B2, C1 or C2',
    }),
  )

const CefrScoresSchema = strictObject(
  {
    combined: cefrLevel('the test as a whole'),
    reading: cefrLevel('reading'),
    listening: cefrLevel('listening'),
    speaking: cefrLevel('speaking'),
    writing: cefrLevel('writing'),
  },
  'CEFR levels reached, overall and per skill; send those the test measures.',
)

const TestScoresSchema = strictObject(
  {
    cefr_scores: CefrScoresSchema,
    overall: strictObject(
      {
        score: nonBlank('Overall score on the provider\'s own scale, e.g. "100".', 100),
        scale: nonBlank('Name of that scale, e.g. "EnglishScore".'),
      },
      "Overall result on the provider's scale.",
    ),
    subskills: Type.Optional(
      Type.Array(
        strictObject(
          {
            skill: nonBlank('Name of the sub-skill, e.g. "Grammar".'),
            score: nonBlank('Score for the sub-skill.', 100),
          },
          'Result for one sub-skill.',
        ),
        { description: 'Results per sub-skill.', maxItems: 50 },
      ),
    ),
    partner_chain: Type.Optional(
      partnerChain('Accepted here for compatibility; prefer the credential-level `partner_chain`.'),
    ),
  },
  'Results of the test.',
)

/** `fields` of an English proficiency test result (spec §4.2). */
export const EnglishProficiencyFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the test taker.'),
    test_provider: nonBlank('Organisation that ran the test (the issuer).'),
    test_name: nonBlank('Name of the test, e.g. "EnglishScore Core".'),
    completion_date: calendarDate('Date the test was completed, `YYYY-MM-DD`.'),
    expiry_date: Type.Optional(calendarDate('Date the result expires, `YYYY-MM-DD`; not before `completion_date`.')),
    test_scores: TestScoresSchema,
    ...partnerChainProperty,
  },
  'An English proficiency test result.',
)

/** A validated English proficiency test result. */
export type EnglishProficiencyFields = Static<typeof EnglishProficiencyFieldsSchema>

function normalizeEnglishProficiency(fields: EnglishProficiencyFields): EnglishProficiencyFields {
  const copy = copyOf(fields)
  const scores: Record<string, unknown> = copy.test_scores.cefr_scores
  for (const [skill, level] of Object.entries(scores)) {
    if (typeof level === 'string') scores[skill] = canonicalCefrLevel(level) ?? level
  }
  return copy
}

/** English proficiency test result (spec §4.2). */
export const englishProficiency: CredentialTypeDefinition<typeof EnglishProficiencyFieldsSchema> = {
  name: 'english_proficiency',
  title: 'English proficiency',
  scope: 'write.english_proficiency',
  redirectPath: 'englishProficiency',
  v1DocumentTypes: ['english_assessment'],
  assetTypes: ['pdf'],
  maxAssets: null,
  batchSection: { key: 'english_proficiency_items', kind: 'array' },
  issuerField: 'test_provider',
  fields: EnglishProficiencyFieldsSchema,
  check: (f) => notBefore(f, 'expiry_date', 'completion_date'),
  normalize: normalizeEnglishProficiency,
  displayTitle: (f) => f.test_name,
}
