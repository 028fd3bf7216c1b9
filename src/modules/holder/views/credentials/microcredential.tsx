import { credentialText } from '../../i18n/credentials.js'
import { DateText, Facts } from './common.js'
import type { DetailsProps } from './details.js'
import { text } from './read.js'

/** A learning & development credential: issue and expiry dates and the assessment result. */
export function MicrocredentialDetails({ ctx, credential, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const [issued, expires] = [text(f, 'issue_date'), text(f, 'expiry_date')]
  return (
    <Facts
      facts={[
        [t('fullName'), !hideName && text(f, 'full_name')],
        [t('issued'), issued && <DateText ctx={ctx} value={issued} />],
        [t('expires'), expires && <DateText ctx={ctx} value={expires} />],
        [t('result'), text(f, 'assessment_result')],
      ]}
    />
  )
}
