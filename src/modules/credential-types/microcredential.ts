import { Type, type Static } from 'typebox'
import {
  calendarDate,
  copyOf,
  nonBlank,
  notBefore,
  nullable,
  partnerChainProperty,
  strictObject,
  text,
} from './common.js'
import type { CredentialTypeDefinition } from './types.js'

/** `fields` of a learning & development credential (spec §4.3). */
export const MicrocredentialFieldsSchema = strictObject(
  {
    full_name: nonBlank('Full name of the learner.'),
    issuer_name: nonBlank('Organisation that issued the credential (the issuer).'),
    microcredential_name: nonBlank('Plain title of what was learned, e.g. "AI Essentials".'),
    issue_date: calendarDate('Date the credential was issued, `YYYY-MM-DD`.'),
    expiry_date: Type.Optional(calendarDate('Date the credential expires, `YYYY-MM-DD`; not before `issue_date`.')),
    assessment_result: Type.Optional(nullable(text('Result as free text, e.g. "85%" or "Pass".', 1000))),
    ...partnerChainProperty,
  },
  'A learning & development credential (microcredential).',
)

/** A validated microcredential. */
export type MicrocredentialFields = Static<typeof MicrocredentialFieldsSchema>

/** Learning & development credential (spec §4.3). */
export const microcredential: CredentialTypeDefinition<typeof MicrocredentialFieldsSchema> = {
  name: 'microcredential',
  title: 'Learning and development',
  scope: 'write.microcredential',
  redirectPath: 'microcredential',
  v1DocumentTypes: ['pdf', 'png', 'jpg', 'open_cert', 'none'],
  assetTypes: ['pdf', 'jpg', 'png', 'open_cert'],
  maxAssets: null,
  batchSection: { key: 'microcredential_items', kind: 'array' },
  issuerField: 'issuer_name',
  fields: MicrocredentialFieldsSchema,
  check: (f) => notBefore(f, 'expiry_date', 'issue_date'),
  normalize: copyOf,
  displayTitle: (f) => f.microcredential_name,
}
