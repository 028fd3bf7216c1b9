import type { CredentialView } from '../models.js'
import { isDateValue } from './format.js'
import { text } from './read.js'

// The few facts a compact card and the review's summary show without opening the details: the
// name on the credential, its main date and whether it has expired.

/** The holder's name as the credential carries it, if it does. */
export function nameOn(credential: CredentialView): string | undefined {
  return text(credential.fields, 'full_name')
}

/** A name compared loosely: case, accents' composition and runs of white space do not tell two names apart. */
function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase()
}

/** The different names the credentials carry (first spelling of each), in order; those without a name are ignored. */
export function distinctNames(credentials: readonly CredentialView[]): string[] {
  const seen = new Map<string, string>()
  for (const credential of credentials) {
    const name = nameOn(credential)
    if (name && !seen.has(nameKey(name))) seen.set(nameKey(name), name.trim())
  }
  return [...seen.values()]
}

/** Which stored date a card shows beside its title, with the words that go with it. */
export type MainDate = { key: 'issuedOn' | 'completedOn' | 'conferredIn'; value: string }

/** The credential's main date: issued, completed or conferred, whichever its type has. */
export function mainDate(credential: CredentialView): MainDate | undefined {
  const f = credential.fields
  const issued = text(f, 'issue_date')
  if (issued) return { key: 'issuedOn', value: issued }
  const completed = text(f, 'completion_date')
  if (completed) return { key: 'completedOn', value: completed }
  const conferred = text(f, 'conferral_year')
  return conferred ? { key: 'conferredIn', value: conferred } : undefined
}

/** The credential's expiry date when it has passed by `today` (`YYYY-MM-DD`); undefined otherwise. */
export function expiredOn(credential: CredentialView, today: string): string | undefined {
  const expiry = text(credential.fields, 'expiry_date')
  if (!expiry || !isDateValue(expiry)) return undefined
  // A date, a month or a year: it has passed once today is later than all of it.
  return expiry < today.slice(0, expiry.length) ? expiry : undefined
}
