import type { ShareLinkProblem, ShareLinkSummary } from '../../sharing/index.js'
import { sharingTextOf } from '../i18n/sharing.js'
import { Badge } from './credentials/common.js'
import { formatDay, formatInstant, pluralSuffix } from './credentials/format.js'
import { credentialTitle } from './credentials/titles.js'
import { COPY_LINK_SCRIPT_PATH } from './copy-link.js'
import { BackToWallet, CsrfField, Layout, MessagePage } from './layout.js'
import type { PageContext } from './page-context.js'
import type { WalletEntry } from './wallet-model.js'

/** Where the holder's share links are listed, and made. */
export const SHARE_LINKS_PATH = '/holder/share-links'
export const NEW_SHARE_LINK_PATH = '/holder/share-links/new'
export const revokePath = (id: string) => `${SHARE_LINKS_PATH}/${encodeURIComponent(id)}/revoke`

const EXPIRIES = ['7d', '30d', '1y'] as const
const STATUS_TONE = { active: 'good', expired: 'neutral', revoked: 'bad' } as const

/** The wallet's way in: make a link, see the links (one line added to the wallet page). */
export function ShareNav({ ctx }: { ctx: PageContext }) {
  const t = sharingTextOf(ctx.locale)
  return (
    <p class="share-nav">
      <a class="button" href={NEW_SHARE_LINK_PATH}>
        {t('walletShare')}
      </a>{' '}
      <a class="button secondary" href={SHARE_LINKS_PATH}>
        {t('walletLinks')}
      </a>
    </p>
  )
}

function Day({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time dateTime={date.toISOString()}>{formatDay(ctx, date)}</time>
}

function opened(ctx: PageContext, link: ShareLinkSummary): string {
  const t = sharingTextOf(ctx.locale)
  if (link.openCount === 0 || !link.lastOpenedAt) return t('openedNever')
  const date = formatDay(ctx, link.lastOpenedAt)
  return t(`opened${pluralSuffix(ctx.locale, link.openCount)}`, { count: link.openCount, date })
}

/** One link of the list: a card with its facts and, while active, a way to revoke it. */
function LinkRow({ ctx, link }: { ctx: PageContext; link: ShareLinkSummary }) {
  const t = sharingTextOf(ctx.locale)
  return (
    <li class="share-link">
      <p class="share-link-head">
        <strong class="share-label">{link.label}</strong>{' '}
        <Badge tone={STATUS_TONE[link.status]}>{t(`status.${link.status}`)}</Badge>
      </p>
      <dl class="share-facts">
        <dt>{t('colCredentials')}</dt>
        <dd>{link.itemCount}</dd>
        {link.revokedAt ? (
          <>
            <dt>{t('colRevoked')}</dt>
            <dd>
              <Day ctx={ctx} date={link.revokedAt} />
            </dd>
          </>
        ) : (
          <>
            <dt>{t(link.status === 'expired' ? 'colExpired' : 'colExpires')}</dt>
            <dd>
              {/* To the minute, zone named: the verifier's page says it in UTC, and the two must agree. */}
              <time dateTime={link.expiresAt.toISOString()}>{formatInstant(ctx, link.expiresAt)}</time>
            </dd>
          </>
        )}
        <dt>{t('colOpened')}</dt>
        <dd>{opened(ctx, link)}</dd>
      </dl>
      {link.status === 'active' && (
        <p>
          <a
            class="button secondary small"
            href={revokePath(link.id)}
            aria-label={t('revokeLabel', { label: link.label })}
          >
            {t('revoke')}
          </a>
        </p>
      )}
    </li>
  )
}

/** The holder's share links, newest first. */
export function ShareLinksPage({
  ctx,
  links,
  revoked,
}: {
  ctx: PageContext
  links: ShareLinkSummary[]
  /** The label of the link just revoked, for the notice. */
  revoked?: string
}) {
  const t = sharingTextOf(ctx.locale)
  return (
    <Layout ctx={ctx} title={t('linksTitle')}>
      <BackToWallet ctx={ctx} />
      <h1>{t('linksTitle')}</h1>
      {revoked !== undefined && (
        <p class="notice success" role="status">
          {t('revokedNotice', { label: revoked })}
        </p>
      )}
      <p>{t('linksIntro')}</p>
      <p>
        <a class="button" href={NEW_SHARE_LINK_PATH}>
          {t('newLink')}
        </a>
      </p>
      {links.length === 0 ? (
        <p class="notice info">{t('linksEmpty')}</p>
      ) : (
        <ul class="share-links">
          {links.map((link) => (
            <LinkRow ctx={ctx} link={link} />
          ))}
        </ul>
      )}
    </Layout>
  )
}

/** What the form sent back, to show it again with its problems. */
export interface ShareForm {
  label: string
  expiry: string
  includeDocuments: boolean
  itemIds: readonly string[]
  /** The token the form proposes (hidden): sending the form again shows the link it made. */
  proposedToken: string
}

/** The three parts of the form a problem can be about. */
type ShareField = 'items' | 'label' | 'expiry'

const PROBLEM_FIELD: Record<ShareLinkProblem, ShareField> = {
  'label-missing': 'label',
  'label-too-long': 'label',
  expiry: 'expiry',
  'no-credential': 'items',
  'not-shareable': 'items',
}

/** A problem written beside its field (the field names it in its aria-describedby). */
function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p class="field-error" id={id}>
      {text}
    </p>
  )
}

/** The form to make a link: which credentials, a label, how long, with documents or not. */
export function NewShareLinkPage({
  ctx,
  entries,
  form,
  problems = [],
}: {
  ctx: PageContext
  entries: WalletEntry[]
  form: ShareForm
  problems?: readonly ShareLinkProblem[]
}) {
  const t = sharingTextOf(ctx.locale)
  const selected = new Set(form.itemIds)
  if (entries.length === 0) {
    return <MessagePage ctx={ctx} title={t('newTitle')} body={t('nothingToShare')} />
  }
  // Each problem is shown twice: in the summary, as a link to its field, and beside the field,
  // which names it (aria-describedby) and is marked invalid.
  const errorOf = (field: ShareField) => problems.find((problem) => PROBLEM_FIELD[problem] === field)
  const itemsError = errorOf('items')
  const labelError = errorOf('label')
  const expiryError = errorOf('expiry')
  const anchorOf: Record<ShareField, string> = {
    items: `item-${entries[0]!.id}`,
    label: 'label',
    expiry: `expiry-${EXPIRIES[0]}`,
  }
  const title = t('newTitle')
  return (
    <Layout ctx={ctx} title={problems.length > 0 ? t('errorTitle', { title }) : title}>
      <BackToWallet ctx={ctx} />
      <h1>{title}</h1>
      {problems.length > 0 && (
        <div class="notice error" role="alert" id="form-problems">
          <p>{t('errorsTitle')}</p>
          <ul>
            {problems.map((problem) => (
              <li>
                <a href={`#${anchorOf[PROBLEM_FIELD[problem]]}`}>{t(`problem.${problem}`)}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form class="share-form" method="post" action={SHARE_LINKS_PATH}>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="link_token" value={form.proposedToken} />
        <fieldset aria-describedby={itemsError ? 'items-hint items-error' : 'items-hint'}>
          <legend>{t('chooseLegend')}</legend>
          <p class="hint" id="items-hint">
            {t('chooseHint')}
          </p>
          {itemsError && <FieldError id="items-error" text={t(`problem.${itemsError}`)} />}
          <ul class="share-choices">
            {entries.map((entry) => (
              <li>
                <input
                  type="checkbox"
                  id={`item-${entry.id}`}
                  name="item"
                  value={entry.id}
                  checked={selected.has(entry.id)}
                  aria-invalid={itemsError ? 'true' : undefined}
                />{' '}
                <label for={`item-${entry.id}`}>
                  {credentialTitle(ctx.locale, entry)}
                  <span class="hint"> — {entry.issuerName ?? entry.partnerName}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <label for="label">{t('labelLabel')}</label>
        <p class="hint" id="label-hint">
          {t('labelHint')}
        </p>
        {labelError && <FieldError id="label-error" text={t(`problem.${labelError}`)} />}
        <input
          type="text"
          id="label"
          name="label"
          value={form.label}
          required
          maxLength={100}
          aria-describedby={labelError ? 'label-hint label-error' : 'label-hint'}
          aria-invalid={labelError ? 'true' : undefined}
        />
        <fieldset aria-describedby={expiryError ? 'expiry-error' : undefined}>
          <legend>{t('expiryLegend')}</legend>
          {expiryError && <FieldError id="expiry-error" text={t(`problem.${expiryError}`)} />}
          {EXPIRIES.map((expiry) => (
            <p class="choice">
              <input
                type="radio"
                id={`expiry-${expiry}`}
                name="expiry"
                value={expiry}
                checked={form.expiry === expiry}
                aria-invalid={expiryError ? 'true' : undefined}
              />{' '}
              <label for={`expiry-${expiry}`}>{t(`expiry.${expiry}`)}</label>
            </p>
          ))}
        </fieldset>
        <p class="choice">
          <input
            type="checkbox"
            id="documents"
            name="documents"
            value="1"
            checked={form.includeDocuments}
            aria-describedby="documents-hint"
          />{' '}
          <label for="documents">{t('documentsLabel')}</label>
        </p>
        <p class="hint" id="documents-hint">
          {t('documentsHint')}
        </p>
        <p class="actions">
          <button type="submit">{t('create')}</button> <a href={SHARE_LINKS_PATH}>{t('cancel')}</a>
        </p>
      </form>
    </Layout>
  )
}

/** The new link, shown once: a field to copy it from, its QR code, when it expires. */
export function ShareLinkCreatedPage({
  ctx,
  url,
  label,
  expiresAt,
  qr,
}: {
  ctx: PageContext
  url: string
  label: string
  expiresAt: Date
  /** The QR code as an SVG document (from the sharing module's `qrSvg`). */
  qr: string
}) {
  const t = sharingTextOf(ctx.locale)
  return (
    <Layout ctx={ctx} title={t('createdTitle')} scripts={[COPY_LINK_SCRIPT_PATH]}>
      <h1>{t('createdTitle')}</h1>
      <p class="notice success" role="status">
        {t('createdCopy')}
      </p>
      <label for="share-url">{t('createdLink', { label })}</label>
      <div class="copy-row">
        <input type="text" id="share-url" class="share-url" value={url} readOnly aria-describedby="share-once" />
        <button
          type="button"
          id="copy-link"
          class="secondary"
          hidden
          data-copied={t('copied')}
          data-manual={t('copyManual')}
        >
          {t('copy')}
        </button>
      </div>
      <p id="copy-status" class="hint" role="status" aria-live="polite" />
      <p class="notice warning" id="share-once">
        {t('createdOnce')}
      </p>
      <p>{t('createdExpires', { date: formatInstant(ctx, expiresAt) })}</p>
      <QrCode ctx={ctx} svg={qr} />
      <p>
        <a class="button secondary" href={SHARE_LINKS_PATH}>
          {t('toLinks')}
        </a>
      </p>
    </Layout>
  )
}

/** A QR code, inline (its SVG is the library's: paths only), as one image for assistive technology. */
export function QrCode({ ctx, svg }: { ctx: PageContext; svg: string }) {
  const t = sharingTextOf(ctx.locale)
  return <div class="qr" role="img" aria-label={t('qrLabel')} dangerouslySetInnerHTML={{ __html: svg }} />
}

/** Asks before revoking a link. */
export function RevokeShareLinkPage({ ctx, link }: { ctx: PageContext; link: ShareLinkSummary }) {
  const t = sharingTextOf(ctx.locale)
  return (
    <Layout ctx={ctx} title={t('revokeTitle')}>
      <section class="message">
        <h1>{t('revokeTitle')}</h1>
        <p>{t('revokeBody', { label: link.label })}</p>
        <form method="post" action={revokePath(link.id)}>
          <CsrfField ctx={ctx} />
          <p class="actions">
            <button type="submit" class="danger">
              {t('revokeConfirm')}
            </button>{' '}
            <a href={SHARE_LINKS_PATH}>{t('cancel')}</a>
          </p>
        </form>
      </section>
    </Layout>
  )
}

/** An unknown link id, or another holder's. */
export function ShareLinkNotFoundPage({ ctx }: { ctx: PageContext }) {
  const t = sharingTextOf(ctx.locale)
  return (
    <MessagePage ctx={ctx} title={t('notFoundTitle')} body={t('notFoundBody')}>
      <p>
        <a class="button" href={SHARE_LINKS_PATH}>
          {t('toLinks')}
        </a>
      </p>
    </MessagePage>
  )
}
