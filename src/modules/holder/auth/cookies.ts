/** Attributes of a cookie Credport sets; all of its cookies are HttpOnly and SameSite=Lax. */
export interface CookieOptions {
  /** Seconds until the browser drops it; 0 deletes it now. */
  maxAge: number
  secure: boolean
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const COOKIE_VALUE = /^[!#$%&'()*+\-./0-9:<=>?@A-Z[\]^_`a-z{|}~]*$/

/**
 * The cookies of a `Cookie` header (RFC 6265 §5.4), first value of each name winning — the most
 * specific path comes first, so a shadowing cookie set on a sub-path cannot win over ours.
 */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>()
  if (!header) return cookies
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq === -1) continue
    const name = pair.slice(0, eq).trim()
    let value = pair.slice(eq + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    if (name && !cookies.has(name)) cookies.set(name, value)
  }
  return cookies
}

/** A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when asked; never a Domain. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  // Only our own names and base64url / locale values reach here: refuse anything that needs encoding.
  if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value)) throw new Error(`unsafe cookie ${name}`)
  const parts = [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${Math.max(0, Math.floor(options.maxAge))}`,
    'HttpOnly',
    'SameSite=Lax',
  ]
  if (options.secure) parts.push('Secure')
  return parts.join('; ')
}
