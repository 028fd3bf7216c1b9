import { countryName, workRightsLabel } from '../../../credential-types/index.js'
import type { Locale } from '../../i18n/index.js'
import { credentialText, hasCredentialText } from '../../i18n/credentials.js'
import { Facts } from './common.js'
import type { DetailsProps } from './details.js'
import { text } from './read.js'

/** A country's name in the page's language ('SG' → 'Singapore', 'Singapura', 'สิงคโปร์'); English through `countryName`. */
export function countryLabel(locale: Locale, code: string): string {
  if (locale === 'en' || !/^[A-Z]{2}$/.test(code)) return countryName(code)
  return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? countryName(code)
}

/** A `singapore_work_rights` value in words: known values translated, others as `workRightsLabel` gives them. */
export function rightsLabel(locale: Locale, value: string): string {
  const key = `rights.${value}`
  return locale !== 'en' && hasCredentialText(key) ? credentialText(locale)(key) : workRightsLabel(value)
}

/** A right to work: the country by name and the work rights in words. */
export function RightToWorkDetails({ ctx, credential, hideName }: DetailsProps) {
  const t = credentialText(ctx.locale)
  const f = credential.fields
  const [country, rights] = [text(f, 'country'), text(f, 'singapore_work_rights')]
  return (
    <Facts
      facts={[
        [t('fullName'), !hideName && text(f, 'full_name')],
        [t('country'), country && countryLabel(ctx.locale, country)],
        [t('workRights'), rights && rightsLabel(ctx.locale, rights)],
      ]}
    />
  )
}
