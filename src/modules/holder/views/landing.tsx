import { translator } from '../i18n/index.js'
import { landing } from '../i18n/landing.js'
import { CsrfField, Layout } from './layout.js'
import type { PageContext } from './page-context.js'

/**
 * Reads `clientId`, `content` and `documentType` from the URL fragment (which never reaches the
 * server) into the form and posts it. The only script of the holder pages, allowed by nonce.
 */
const HANDOFF_SCRIPT = `(function(){var f=document.getElementById('handoff');var p=new URLSearchParams(location.hash.slice(1));
f.elements.client_id.value=p.get('clientId')||'';f.elements.content.value=p.get('content')||'';
history.replaceState(null,'',location.pathname);f.submit();})();`

/** The page a redirect link opens: hands the link's fragment over to the server by POST. */
export function LandingPage({ ctx, path }: { ctx: PageContext; path: string }) {
  const t = translator(landing, ctx.locale)
  return (
    <Layout ctx={ctx} title={t('title')}>
      <section class="message">
        <h1>{t('title')}</h1>
        <p>{t('body')}</p>
        <noscript>
          <p class="notice info">{t('noscript')}</p>
        </noscript>
        <form id="handoff" method="post" action="/holder/open">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="path" value={path} />
          <input type="hidden" name="client_id" value="" />
          <input type="hidden" name="content" value="" />
        </form>
      </section>
      <script nonce={ctx.nonce} dangerouslySetInnerHTML={{ __html: HANDOFF_SCRIPT }} />
    </Layout>
  )
}
