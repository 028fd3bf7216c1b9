/**
 * The syntax `<input type="email">` accepts (WHATWG HTML "valid e-mail address"), so that the
 * server agrees with the browser; internationalised domains arrive in punycode from browsers.
 */
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

/** The canonical form of an email address (trimmed, lower-cased), or null when it is not a sane address. */
export function normaliseEmail(input: unknown): string | null {
  if (typeof input !== 'string') return null
  const email = input.trim().toLowerCase()
  if (email.length > 254 || !EMAIL.test(email)) return null
  const local = email.slice(0, email.indexOf('@'))
  return local.length <= 64 ? email : null
}

/** The address partly hidden, for pages that should confirm it without printing it in full: `j•••@example.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at < 1) return '•••'
  return `${email[0]}•••${email.slice(at)}`
}
