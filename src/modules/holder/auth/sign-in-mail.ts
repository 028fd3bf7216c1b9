import { escapeHtml } from '../../../lib/html.js'
import type { MailMessage } from '../../../mail/mailer.js'
import { translator, type Locale } from '../i18n/index.js'
import { signIn } from '../i18n/sign-in.js'

const CODE_SLOT = '\u0000code\u0000'

/** The sign-in email in the holder's language: subject, plain text and a simple HTML part. */
export function signInCodeMessage(options: {
  to: string
  code: string
  locale: Locale
  validMinutes: number
}): MailMessage {
  const t = translator(signIn, options.locale)
  const text = t('mailBody', { code: options.code, minutes: options.validMinutes })
  // The code goes in after escaping: the template is ours, but keep the HTML part escape-safe anyway.
  const body = escapeHtml(t('mailBody', { code: CODE_SLOT, minutes: options.validMinutes })).replace(
    CODE_SLOT,
    `<strong>${options.code}</strong>`,
  )
  const html = `<!doctype html><html lang="${options.locale}"><head><meta charset="utf-8"></head><body><p>${body}</p></body></html>`
  // The code stays out of the subject, which lock screens and notification previews show.
  return { to: options.to, subject: t('mailSubject'), text, html }
}
