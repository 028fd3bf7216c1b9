import { credentialText } from '../../i18n/credentials.js'
import { DateText, Facts } from './common.js'
import type { DetailsProps } from './details.js'
import { formatList } from './format.js'
import { object, text, texts } from './read.js'

/** Parts of a place, from the most precise to the widest ("Ward 5, Royal Hospital, Melbourne, Victoria, Australia"). */
const LOCATION_PARTS = ['place', 'city', 'region', 'province', 'state', 'country'] as const

/** A universal credential: category / type, dates and its details (scope of practice, specialities, location…). */
export function UniversalCredentialDetails({ ctx, credential, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const details = object(f, 'credential_details')
  const [issued, expires, completed] = [text(f, 'issue_date'), text(f, 'expiry_date'), text(details, 'date_completed')]
  const specialities = texts(details, 'speciality')
  const location = LOCATION_PARTS.map((part) => text(details, part))
    .filter(Boolean)
    .join(', ')
  return (
    <Facts
      facts={[
        [t('fullName'), !hideName && text(f, 'full_name')],
        [t('category'), text(f, 'credential_category')],
        [t('subType'), text(f, 'credential_sub_type')],
        [t('issued'), issued && <DateText ctx={ctx} value={issued} />],
        // The type stores null for "does not expire"; absent means the partner did not say.
        [t('expires'), expires ? <DateText ctx={ctx} value={expires} /> : f.expiry_date === null && t('noExpiry')],
        [t('scopeOfPractice'), text(details, 'scope_of_practice')],
        [t('specialities'), specialities.length > 0 && formatList(ctx.locale, specialities)],
        [t('version'), text(details, 'version')],
        [t('dateCompleted'), completed && <DateText ctx={ctx} value={completed} />],
        [t('location'), location],
      ]}
    />
  )
}
