import { Type, type Static } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'
import { copyOf, nonBlank, partnerChainProperty, strictObject, type Unchecked } from './common.js'
import type { CredentialTypeDefinition } from './types.js'

/**
 * The officially assigned ISO 3166-1 alpha-2 codes (249). Reserved and user-assigned codes
 * (`UK`, `EU`, `XK`, …) are not countries in the standard and are refused.
 */
const ASSIGNED_COUNTRY_CODES = new Set(
  `AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
   CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
   GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP
   KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT
   MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW
   SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
   UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`.split(/\s+/),
)

const COUNTRY_PATTERN = /^[A-Z]{2}$/

/** True for an assigned ISO 3166-1 alpha-2 code in upper case ('SG'; not 'sg', not 'XK'). */
export function isCountryCode(value: unknown): value is string {
  return typeof value === 'string' && ASSIGNED_COUNTRY_CODES.has(value)
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' })
/** Names looked up so far: ICU's lookup costs more than the rest of a title (at most 676 entries). */
const namesByCode = new Map<string, string>()

/** English name of a country code ('SG' → 'Singapore'); the code itself when unknown. */
export function countryName(code: string): string {
  if (!COUNTRY_PATTERN.test(code)) return code
  let name = namesByCode.get(code)
  if (name === undefined) {
    name = regionNames.of(code) || code
    namesByCode.set(code, name)
  }
  return name
}

const WORK_RIGHTS_LABELS: Readonly<Record<string, string>> = {
  citizen: 'Singapore citizen',
  resident: 'Singapore permanent resident',
}

/** Readable label of a `singapore_work_rights` value: the known ones named, others with spaces for underscores. */
export function workRightsLabel(value: string): string {
  return Object.hasOwn(WORK_RIGHTS_LABELS, value) ? WORK_RIGHTS_LABELS[value]! : value.replace(/_/g, ' ')
}

/** `fields` of a right to work (spec §4.5). */
export const RightToWorkFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the worker.'),
    country: Type.String({
      description: 'Country where the right to work holds: ISO 3166-1 alpha-2 code in upper case, e.g. "SG".',
      pattern: COUNTRY_PATTERN.source,
      errorMessage: 'must be an ISO 3166-1 alpha-2 country code in upper case, e.g. "SG"',
    }),
    singapore_work_rights: Type.Optional(
      Type.String({
        description:
          'Required when `country` is "SG", refused otherwise. A snake_case value: "citizen" or "resident" are known; others are shown as given.',
        pattern: '^[a-z][a-z0-9_]*$',
        maxLength: 100,
        errorMessage: 'must be a snake_case value such as "citizen" or "resident"',
      }),
    ),
    ...partnerChainProperty,
  },
  'A right to work in one country.',
)

/** A validated right to work. */
export type RightToWorkFields = Static<typeof RightToWorkFieldsSchema>

function checkRightToWork(f: Unchecked): ValidationIssue[] {
  const { country, singapore_work_rights: rights } = f
  // A malformed country is reported by the schema; the Singapore rule needs a real one.
  if (typeof country !== 'string' || !COUNTRY_PATTERN.test(country)) return []
  if (!isCountryCode(country)) {
    return [{ pointer: '/country', message: 'is not an assigned ISO 3166-1 alpha-2 country code' }]
  }
  if (country === 'SG' && rights === undefined) {
    return [{ pointer: '/singapore_work_rights', message: 'is required when country is SG' }]
  }
  if (country !== 'SG' && rights !== undefined) {
    return [{ pointer: '/singapore_work_rights', message: 'is only allowed when country is SG' }]
  }
  return []
}

function titleOf(f: RightToWorkFields): string {
  const rights = f.singapore_work_rights === undefined ? '' : ` — ${workRightsLabel(f.singapore_work_rights)}`
  return `Right to work in ${countryName(f.country)}${rights}`
}

/** Right to work (spec §4.5). */
export const rightToWork: CredentialTypeDefinition<typeof RightToWorkFieldsSchema> = {
  name: 'right_to_work',
  title: 'Right to work',
  scope: 'write.right_to_work',
  redirectPath: 'rightToWork',
  v1DocumentTypes: ['none'],
  assetTypes: [],
  maxAssets: null,
  batchSection: { key: 'right_to_work_items', kind: 'array' },
  issuerField: null,
  fields: RightToWorkFieldsSchema,
  check: checkRightToWork,
  normalize: copyOf,
  displayTitle: titleOf,
}
