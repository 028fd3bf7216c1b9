import { credentialText, hasCredentialText } from '../../i18n/credentials.js'
import { DateText, Facts } from './common.js'
import type { DetailsProps } from './details.js'
import { text } from './read.js'

/** A digital identity: date of birth and, in words, how the document and the person were checked. */
export function DigitalIdentityDetails({ ctx, credential, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const born = text(f, 'date_of_birth')
  /** The words for an enumerated check (`validity.government_database` …); a value we have no words for is shown as sent. */
  const method = (prefix: string, field: string) => {
    const value = text(f, field)
    if (!value) return undefined
    const key = `${prefix}.${value}`
    return hasCredentialText(key) ? t(key) : value
  }
  return (
    <Facts
      facts={[
        [t('fullName'), !hideName && text(f, 'full_name')],
        [t('dateOfBirth'), born && <DateText ctx={ctx} value={born} />],
        [t('validity'), method('validity', 'identity_document_validity')],
        [t('liveness'), method('liveness', 'identity_document_liveness')],
        [t('personMatch'), method('match', 'identity_document_person_match')],
        [t('verificationLevel'), method('level', 'identity_verification_level')],
      ]}
    />
  )
}
