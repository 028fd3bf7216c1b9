import type { ComponentChildren } from 'preact'
import { commonText, LOCALE_NAMES, LOCALES } from '../i18n/index.js'
import { walletTextOf } from '../i18n/wallet.js'
import type { PageContext } from './page-context.js'
import { TIME_ZONE_SCRIPT_PATH } from './time-zone.js'
import { WALLET_PATH } from './wallet-model.js'

/** A hidden CSRF field: every form of the holder pages carries one. */
export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />
}

/**
 * An address shortened for a narrow header: the first character of the local part, an ellipsis
 * and the domain ("j…@example.com"). The full address stays in the page for screen readers and
 * in a tooltip.
 */
export function shortEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return email
  const local = email.slice(0, at)
  const first = Array.from(local)[0]!
  return `${first}${Array.from(local).length > 1 ? '…' : ''}${email.slice(at)}`
}

/** A globe, drawn inline (no external asset, nothing for the CSP to allow). */
function GlobeIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path
        d="M3 12h18M12 3c2.5 2.6 3.7 5.6 3.7 9s-1.2 6.4-3.7 9c-2.5-2.6-3.7-5.6-3.7-9S9.5 5.6 12 3z"
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
      />
    </svg>
  )
}

/**
 * The language menu: a native `<details>` (no script), its summary naming the current language,
 * its list linking to this page in each language.
 */
function LanguageMenu({ ctx }: { ctx: PageContext }) {
  const t = commonText(ctx.locale)
  return (
    <nav class="languages" aria-label={t('language')}>
      <details class="menu">
        <summary>
          <GlobeIcon />
          <span aria-hidden="true">{ctx.locale.toUpperCase()}</span>
          <span class="visually-hidden">{t('languageCurrent', { language: LOCALE_NAMES[ctx.locale] })}</span>
        </summary>
        <ul class="menu-list">
          {LOCALES.map((locale) => (
            <li>
              <a
                href={`${ctx.path}?lang=${locale}`}
                lang={locale}
                hreflang={locale}
                aria-current={locale === ctx.locale ? 'true' : undefined}
              >
                {LOCALE_NAMES[locale]}
              </a>
            </li>
          ))}
        </ul>
      </details>
    </nav>
  )
}

/** Who is signed in (shortened on screen, in full for screen readers), the wallet, signing out. */
function Account({ ctx, email }: { ctx: PageContext; email: string }) {
  const t = commonText(ctx.locale)
  return (
    <div class="account">
      <span class="who" title={email}>
        <span aria-hidden="true">{shortEmail(email)}</span>
        <span class="visually-hidden">{t('signedInAs', { email })}</span>
      </span>
      <a class="wallet-link" href="/holder/wallet">
        {t('wallet')}
      </a>
      <form method="post" action="/holder/sign-out">
        <CsrfField ctx={ctx} />
        <button type="submit" class="link">
          {t('signOut')}
        </button>
      </form>
    </div>
  )
}

/**
 * The frame of every holder page: a one-line header (brand, language menu, account), the main
 * content, a footer. Header, footer and navigation are left out when printing (holder.css).
 */
export function Layout({
  ctx,
  title,
  noindex,
  footer,
  children,
  scripts = [],
}: {
  ctx: PageContext
  title: string
  /** Keep the page out of search engines (share pages). */
  noindex?: boolean
  /**
   * The footer's sentence, when not the holders' one: pages for verifiers, whose wordmark then
   * links nowhere (the wallet it links to on holders' pages would ask a verifier to sign in).
   */
  footer?: string
  children: ComponentChildren
  /** Paths of further script files of this page (served by the holder routes, allowed by the nonce). */
  scripts?: readonly string[]
}) {
  const t = commonText(ctx.locale)
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {noindex && <meta name="robots" content="noindex, nofollow" />}
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · ${t('brand')}`}</title>
        <link rel="stylesheet" href="/holder/static/holder.css" />
        <link rel="icon" href="data:," />
        {/* Signed-in pages tell later pages the holder's time zone (a cookie), so times are written in it;
            before signing in, the landing page's hand-off posts it. The landing and sign-in pages
            stay free of scripts but the hand-off. */}
        {ctx.signedInEmail && <script nonce={ctx.nonce} src={TIME_ZONE_SCRIPT_PATH} defer />}
        {scripts.map((src) => (
          <script nonce={ctx.nonce} src={src} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('skipToContent')}
        </a>
        <header class="site">
          {footer ? (
            <span class="brand">{t('brand')}</span>
          ) : (
            <a class="brand" href="/holder/wallet">
              {t('brand')}
            </a>
          )}
          <div class="header-tools">
            <LanguageMenu ctx={ctx} />
            {ctx.signedInEmail && <Account ctx={ctx} email={ctx.signedInEmail} />}
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site">
          <p>{footer ?? t('footer')}</p>
        </footer>
      </body>
    </html>
  )
}

/**
 * "← Back to my wallet" above a page's heading: on a phone the header has no wallet link (it is the
 * wordmark's), so pages that are not reached from the wallet's own links say the way back.
 */
export function BackToWallet({ ctx }: { ctx: PageContext }) {
  return (
    <nav class="item-nav">
      <a href={WALLET_PATH}>
        <span aria-hidden="true">← </span>
        {walletTextOf(ctx.locale)('backToWallet')}
      </a>
    </nav>
  )
}

/** "Back to my wallet" as a button, the way on from a message page. */
export function BackToWalletButton({ ctx, secondary = false }: { ctx: PageContext; secondary?: boolean }) {
  return (
    <p>
      <a class={secondary ? 'button secondary' : 'button'} href={WALLET_PATH}>
        {walletTextOf(ctx.locale)('backToWallet')}
      </a>
    </p>
  )
}

/** A page with a heading and a paragraph: not found, expired, errors. */
export function MessagePage({
  ctx,
  title,
  body,
  noindex,
  footer,
  children,
}: {
  ctx: PageContext
  title: string
  body: string
  noindex?: boolean
  footer?: string
  children?: ComponentChildren
}) {
  return (
    <Layout ctx={ctx} title={title} noindex={noindex} footer={footer}>
      <section class="message">
        <h1>{title}</h1>
        <p>{body}</p>
        {children}
      </section>
    </Layout>
  )
}
