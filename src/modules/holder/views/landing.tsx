import { translator } from '../i18n/index.js'
import { landing } from '../i18n/landing.js'
import { CsrfField, Layout } from './layout.js'
import type { PageContext } from './page-context.js'

/**
 * Reads `clientId` and `content` from the URL fragment (which never reaches the server) and the
 * browser's time zone (`Intl…timeZone`, so that the first review after signing in writes times in
 * it) into the form and posts it. The landing page's only script, allowed by nonce.
 */
const HANDOFF_SCRIPT = `(function(){var f=document.getElementById('handoff');var p=new URLSearchParams(location.hash.slice(1));
f.elements.client_id.value=p.get('clientId')||'';f.elements.content.value=p.get('content')||'';
try{f.elements.time_zone.value=Intl.DateTimeFormat().resolvedOptions().timeZone||'';}catch(e){}
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
          <input type="hidden" name="time_zone" value="" />
        </form>
      </section>
      <script nonce={ctx.nonce} dangerouslySetInnerHTML={{ __html: HANDOFF_SCRIPT }} />
    </Layout>
  )
}
