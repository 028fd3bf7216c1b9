import type { Static } from 'typebox'
import type { CareerHistoryFieldsSchema } from './career-history.js'
import type { DigitalIdentityFieldsSchema } from './digital-identity.js'
import type { EducationFieldsSchema } from './education.js'
import type { EnglishProficiencyFieldsSchema } from './english-proficiency.js'
import type { MicrocredentialFieldsSchema } from './microcredential.js'
import type { RightToWorkFieldsSchema } from './right-to-work.js'
import type { UniversalCredentialFieldsSchema } from './universal-credential.js'

/** The `fields` (v2) / `data.credential` (v1) of each credential type, as its schema types them (for the client SDK). */
export interface CredentialFieldsByType {
  education: Static<typeof EducationFieldsSchema>
  english_proficiency: Static<typeof EnglishProficiencyFieldsSchema>
  microcredential: Static<typeof MicrocredentialFieldsSchema>
  digital_identity: Static<typeof DigitalIdentityFieldsSchema>
  right_to_work: Static<typeof RightToWorkFieldsSchema>
  career_history: Static<typeof CareerHistoryFieldsSchema>
  universal_credential: Static<typeof UniversalCredentialFieldsSchema>
}
