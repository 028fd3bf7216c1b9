import { Type, type Static } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'
import {
  calendarDate,
  copyOf,
  nonBlank,
  notBefore,
  nullable,
  partnerChainProperty,
  strictObject,
  text,
  type Unchecked,
} from './common.js'
import type { CredentialTypeDefinition } from './types.js'

/** A name that may be null or absent, but not blank when given. */
const optionalName = (description: string) => Type.Optional(nullable(nonBlank(description)))

const CredentialDetailsSchema = nullable(
  strictObject(
    {
      scope_of_practice: Type.Optional(nullable(text('What the holder is allowed to practise, as free text.'))),
      speciality: Type.Optional(
        nullable(Type.Array(nonBlank('One speciality.'), { description: 'Specialities covered.', maxItems: 50 })),
      ),
      version: optionalName('Version of the credential or of the standard it certifies.'),
      date_completed: Type.Optional(nullable(calendarDate('Date the requirements were completed, `YYYY-MM-DD`.'))),
      country: optionalName('Country where the credential applies.'),
      state: optionalName('State where the credential applies.'),
      province: optionalName('Province where the credential applies.'),
      city: optionalName('City where the credential applies.'),
      region: optionalName('Region where the credential applies.'),
      place: optionalName('Place (site, venue) where the credential applies.'),
    },
    'Optional details; every member may be null or absent.',
  ),
)

/** `fields` of a universal credential (spec §4.7, v2 only). */
export const UniversalCredentialFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the holder.'),
    credential_name: nonBlank('Name of the credential, e.g. "Example Certification".'),
    credential_category: Type.Optional(
      nonBlank(
        'Category of the credential. At least one of `credential_category` and `credential_sub_type` is required.',
      ),
    ),
    credential_sub_type: Type.Optional(
      nonBlank(
        'Sub-type of the credential, e.g. "Cert". At least one of `credential_category` and `credential_sub_type` is required.',
      ),
    ),
    issuer_name: nonBlank('Organisation that issued the credential (the issuer).'),
    issue_date: Type.Optional(calendarDate('Date the credential was issued, `YYYY-MM-DD`.')),
    expiry_date: Type.Optional(
      nullable(
        calendarDate('Date the credential expires, `YYYY-MM-DD`, not before `issue_date`; null when it does not.'),
      ),
    ),
    credential_details: Type.Optional(CredentialDetailsSchema),
    ...partnerChainProperty,
  },
  'A universal credential: any other kind of credential (licence, registration, certification).',
)

/** A validated universal credential. */
export type UniversalCredentialFields = Static<typeof UniversalCredentialFieldsSchema>

function checkUniversalCredential(f: Unchecked): ValidationIssue[] {
  // Reported at /credential_category (the field the documentation's field page names), not at the
  // object root, so that a form can show it next to an input.
  const kind =
    f.credential_category === undefined && f.credential_sub_type === undefined
      ? [{ pointer: '/credential_category', message: 'is required unless credential_sub_type is given' }]
      : []
  return [...kind, ...notBefore(f, 'expiry_date', 'issue_date')]
}

/** Universal credential (spec §4.7): v2 only, at most one asset. */
export const universalCredential: CredentialTypeDefinition<typeof UniversalCredentialFieldsSchema> = {
  name: 'universal_credential',
  title: 'Universal credential',
  scope: 'write.universal',
  redirectPath: 'universalCredential',
  v1DocumentTypes: null,
  assetTypes: ['pdf', 'png', 'jpg'],
  maxAssets: 1,
  batchSection: { key: 'universal_credential_items', kind: 'array' },
  issuerField: 'issuer_name',
  fields: UniversalCredentialFieldsSchema,
  check: checkUniversalCredential,
  normalize: copyOf,
  displayTitle: (f) => f.credential_name,
}
