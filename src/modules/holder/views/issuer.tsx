import { translator } from '../i18n/index.js'
import { signIn } from '../i18n/sign-in.js'
import type { PageContext } from './page-context.js'

/**
 * Who sent the holder here, as the pages before sign-in show it: the partner's display name, logo
 * and support contact, and how many credentials it sends. Nothing about the holder (no name, no
 * email, no credential content): anyone holding the link sees this much.
 */
export interface IssuerContext {
  displayName: string
  /** Path of the logo on this server (served for `<img>` only); null when none. */
  logoUrl: string | null
  support: { kind: 'email' | 'url'; value: string } | null
  count: number
}

/** The issuer's logo beside its name; `alt=""` because the name is written next to it. */
export function IssuerMark({ issuer }: { issuer: IssuerContext }) {
  if (!issuer.logoUrl) return null
  return <img class="issuer-logo" src={issuer.logoUrl} alt="" width={64} height={64} decoding="async" />
}

/** "University A wants to add 10 credentials to your wallet", with its logo, and what happens next. */
export function IssuerIntro({ ctx, issuer }: { ctx: PageContext; issuer: IssuerContext }) {
  const t = translator(signIn, ctx.locale)
  const heading =
    issuer.count === 1
      ? t('issuerWantsOne', { issuer: issuer.displayName })
      : t('issuerWantsOther', { issuer: issuer.displayName, count: issuer.count })
  return (
    <section class="issuer-intro" aria-labelledby="issuer-heading">
      <div class="issuer-head">
        <IssuerMark issuer={issuer} />
        <h1 id="issuer-heading">{heading}</h1>
      </div>
      <h2 class="next-title">{t('nextTitle')}</h2>
      <ol class="next-steps">
        <li>{t('nextSignIn')}</li>
        <li>{t('nextReview')}</li>
        <li>{t('nextDecide')}</li>
      </ol>
      {issuer.support && (
        <p class="issuer-support">
          {t('supportIntro', { issuer: issuer.displayName })}{' '}
          <a
            href={issuer.support.kind === 'email' ? `mailto:${issuer.support.value}` : issuer.support.value}
            rel="noopener noreferrer"
          >
            {issuer.support.value}
          </a>
        </p>
      )}
    </section>
  )
}
