import { escapeHtml } from '../../../lib/html.js'
import type { MailMessage } from '../../../mail/mailer.js'
import { translator, type Locale } from '../i18n/index.js'
import { signIn } from '../i18n/sign-in.js'

const CODE_SLOT = '\u0000code\u0000'

/** A partner's display name as one line of text (it goes into a subject header). */
const oneLine = (text: string) => text.replace(/[\s\p{Cc}]+/gu, ' ').trim()

/**
 * The sign-in email in the holder's language: the subject names the issuer whose credentials the
 * holder is signing in for (when there is one), never the code (lock screens and notification
 * previews show subjects). The plain-text part carries the code alone on its own line, so that it
 * reads as is even where the rest of the text is quoted-printable (Thai); the HTML part says the same.
 */
export function signInCodeMessage(options: {
  to: string
  code: string
  locale: Locale
  validMinutes: number
  /** The display name of the partner whose credentials the holder is signing in to see; null when none. */
  issuer?: string | null
}): MailMessage {
  const t = translator(signIn, options.locale)
  const issuer = options.issuer ? oneLine(options.issuer) : ''
  const subject = issuer ? t('mailSubjectIssuer', { issuer }) : t('mailSubject')
  const body = (code: string) =>
    issuer
      ? t('mailBodyIssuer', { code, issuer, minutes: options.validMinutes })
      : t('mailBody', { code, minutes: options.validMinutes })
  const signature = t('mailSignature')
  const text = `${body(options.code)}\n\n    ${options.code}\n\n-- \n${signature}\n`
  // The issuer's name is escaped with the rest of the template; the code goes in after escaping.
  const code = `<strong>${options.code}</strong>`
  const html = [
    `<!doctype html><html lang="${options.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;max-width:36em">',
    `<p>${escapeHtml(body(CODE_SLOT)).replace(CODE_SLOT, code)}</p>`,
    `<p style="font-size:2em;letter-spacing:.2em;font-family:ui-monospace,monospace">${options.code}</p>`,
    `<p style="color:#555;font-size:.9em">${escapeHtml(signature)}</p>`,
    '</body></html>',
  ].join('\n')
  return { to: options.to, subject, text, html }
}
