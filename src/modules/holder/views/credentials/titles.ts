import type { Locale } from '../../i18n/index.js'
import type { CredentialView } from '../models.js'
import { credentialText } from '../../i18n/credentials.js'
import { objects, text, texts } from './read.js'
import { countryLabel, rightsLabel } from './right-to-work.js'

/**
 * The credential's title in the page's language. English shows the type's own `displayTitle`
 * unchanged (the one source of the wording). Other languages rebuild the titles that contain
 * interface words ("majoring in", "Identity of", "Right to work in", "at") from the same fields;
 * names given by the issuer (course, test, credential names, "(Honours)" in a degree's name) stay
 * as issued. When the fields do not have the expected shape, `displayTitle` is shown.
 */
export function credentialTitle(locale: Locale, credential: CredentialView): string {
  if (locale === 'en') return credential.displayTitle
  const t = credentialText(locale)
  const f = credential.fields
  switch (credential.credentialType) {
    case 'education': {
      const course = text(f, 'course_name')
      if (!course) break
      const named = f.with_honours === true ? `${course} (Honours)` : course
      const majors = texts(f, 'majors')
      return majors.length > 0 ? t('titleMajoring', { course: named, majors: majors.join(', ') }) : named
    }
    case 'digital_identity': {
      const name = text(f, 'full_name')
      if (name) return t('titleIdentity', { name })
      break
    }
    case 'right_to_work': {
      const code = text(f, 'country')
      if (!code) break
      const country = countryLabel(locale, code)
      const rights = text(f, 'singapore_work_rights')
      return rights
        ? t('titleRightToWorkRights', { country, rights: rightsLabel(locale, rights) })
        : t('titleRightToWork', { country })
    }
    case 'career_history':
      return careerTitle(locale, credential) ?? credential.displayTitle
  }
  return credential.displayTitle
}

function careerTitle(locale: Locale, credential: CredentialView): string | undefined {
  const t = credentialText(locale)
  const jobs = objects(credential.fields, 'employment').filter(
    (job) => text(job, 'start_date') && text(job, 'organisation'),
  )
  if (jobs.length === 0) return undefined
  // The same choice as the type's displayTitle: the latest start, the first of equal ones.
  const latest = jobs.reduce((a, b) => (text(b, 'start_date')! > text(a, 'start_date')! ? b : a))
  const role = text(latest, 'role_title') ?? text(latest, 'role_classification')
  if (!role) return undefined
  const params = { role, organisation: text(latest, 'organisation')! }
  const earlier = jobs.length - 1
  if (earlier === 0) return t('titleCareer', params)
  return earlier === 1 ? t('titleCareerOneMore', params) : t('titleCareerMore', { ...params, count: earlier })
}
