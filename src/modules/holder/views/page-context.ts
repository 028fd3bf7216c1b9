import type { Locale } from '../i18n/index.js'

/** What every holder page needs to render: language, CSP nonce, CSRF token, who is signed in. */
export interface PageContext {
  locale: Locale
  /** Nonce of this response's Content-Security-Policy, for the rare inline script. */
  nonce: string
  /** Token to put in every form (`_csrf`). */
  csrfToken: string
  /** The signed-in holder's email, shown in the header; null when not signed in. */
  signedInEmail: string | null
  /** This page's path, for the language switch links. */
  path: string
  /** Locale of date formats ('en-GB' unless the browser asked for 'en-US'; see `DateContext`). */
  dateLocale?: string
  /**
   * The holder's IANA time zone, when their browser told it (the `credport_tz` cookie, set by the
   * time-zone script or by the landing page's hand-off); times are UTC otherwise.
   */
  timeZone?: string
}
