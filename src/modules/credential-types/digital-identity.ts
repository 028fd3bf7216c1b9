import { Type, type Static } from 'typebox'
import type { ValidationIssue } from '../../lib/issues.js'
import {
  calendarDate,
  copyOf,
  nonBlank,
  nullable,
  partnerChainProperty,
  strictObject,
  type Unchecked,
} from './common.js'
import type { CredentialTypeDefinition, Envelope } from './types.js'

const V1_SINGLE_ONLY = 'Required on v1 single adds; optional on v2 and in batches.'

/**
 * The assurance fields, required on v1 single adds only (spec §4.4): optional in batches (the
 * batch sample sends only `full_name`), and so on v2 single adds, which share the v2 item's fields.
 */
const ASSURANCE_FIELDS = [
  'identity_document_validity',
  'identity_document_liveness',
  'identity_document_person_match',
] as const

/** `fields` of a digital identity (spec §4.4). */
export const DigitalIdentityFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the verified person.'),
    date_of_birth: Type.Optional(nullable(calendarDate('Date of birth, `YYYY-MM-DD` (encouraged).'))),
    identity_document_validity: Type.Optional(
      Type.Enum(['manual', 'government_database', 'verifiable_credential'], {
        description: `How the identity document was checked to be valid. ${V1_SINGLE_ONLY}`,
      }),
    ),
    identity_document_liveness: Type.Optional(
      Type.Enum(['automated', 'in_person'], {
        description: `How the person was checked to be present and alive. ${V1_SINGLE_ONLY}`,
      }),
    ),
    identity_document_person_match: Type.Optional(
      Type.Enum(['manual', 'automated', 'government_database'], {
        description: `How the person was matched to the document. ${V1_SINGLE_ONLY}`,
      }),
    ),
    identity_verification_level: Type.Optional(
      Type.Enum(['basic', 'standard'], { description: 'Legacy verification level, accepted from older integrations.' }),
    ),
    // The documented place is beside `fields`; accepted here too so every type reads alike.
    ...partnerChainProperty,
  },
  'A digital identity verified by the partner.',
)

/** A validated digital identity. */
export type DigitalIdentityFields = Static<typeof DigitalIdentityFieldsSchema>

function checkDigitalIdentity(f: Unchecked, envelope: Envelope): ValidationIssue[] {
  if (envelope !== 'v1') return []
  return ASSURANCE_FIELDS.filter((field) => f[field] === undefined).map((field) => ({
    pointer: `/${field}`,
    message: 'is required',
  }))
}

/** Digital identity (spec §4.4). */
export const digitalIdentity: CredentialTypeDefinition<typeof DigitalIdentityFieldsSchema> = {
  name: 'digital_identity',
  title: 'Digital identity',
  scope: 'write.digital_identity',
  redirectPath: 'digitalIdentity',
  v1DocumentTypes: ['none'],
  assetTypes: [],
  maxAssets: null,
  batchSection: { key: 'digital_identity', kind: 'single' },
  issuerField: null,
  fields: DigitalIdentityFieldsSchema,
  check: checkDigitalIdentity,
  normalize: copyOf,
  displayTitle: (f) => `Identity of ${f.full_name}`,
}
