import type { ComponentChildren } from 'preact'
import { commonText, LOCALE_NAMES, LOCALES } from '../i18n/index.js'
import type { PageContext } from './page-context.js'
import { TIME_ZONE_SCRIPT_PATH } from './time-zone.js'

/** A hidden CSRF field: every form of the holder pages carries one. */
export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />
}

function LanguageSwitch({ ctx }: { ctx: PageContext }) {
  const t = commonText(ctx.locale)
  return (
    <nav class="languages" aria-label={t('language')}>
      <ul>
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
    </nav>
  )
}

/** The frame of every holder page: header with brand, language switch and account, main content, footer. */
export function Layout({ ctx, title, children }: { ctx: PageContext; title: string; children: ComponentChildren }) {
  const t = commonText(ctx.locale)
  return (
    <html lang={ctx.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${title} · ${t('brand')}`}</title>
        <link rel="stylesheet" href="/holder/static/holder.css" />
        <link rel="icon" href="data:," />
        {/* Signed-in pages tell later pages the holder's time zone (a cookie), so times are written in it.
            The landing and sign-in pages stay free of scripts but the hand-off. */}
        {ctx.signedInEmail && <script nonce={ctx.nonce} src={TIME_ZONE_SCRIPT_PATH} defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('skipToContent')}
        </a>
        <header class="site">
          <a class="brand" href="/holder/wallet">
            {t('brand')}
          </a>
          <LanguageSwitch ctx={ctx} />
          {ctx.signedInEmail && (
            <div class="account">
              <span class="who">{t('signedInAs', { email: ctx.signedInEmail })}</span>
              <a href="/holder/wallet">{t('wallet')}</a>
              <form method="post" action="/holder/sign-out">
                <CsrfField ctx={ctx} />
                <button type="submit" class="link">
                  {t('signOut')}
                </button>
              </form>
            </div>
          )}
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site">
          <p>{t('footer')}</p>
        </footer>
      </body>
    </html>
  )
}

/** A page with a heading and a paragraph: not found, expired, errors. */
export function MessagePage({
  ctx,
  title,
  body,
  children,
}: {
  ctx: PageContext
  title: string
  body: string
  children?: ComponentChildren
}) {
  return (
    <Layout ctx={ctx} title={title}>
      <section class="message">
        <h1>{title}</h1>
        <p>{body}</p>
        {children}
      </section>
    </Layout>
  )
}
