import type { CredentialTypeName } from '../../credential-types/index.js'
import { correctionsTextOf } from '../i18n/corrections.js'
import { reviewTextOf } from '../i18n/review.js'
import { walletTextOf } from '../i18n/wallet.js'
import { formatDuration, pluralSuffix } from './credentials/format.js'
import { BackToWalletButton, Layout, MessagePage } from './layout.js'
import { Count } from './wallet.js'
import type { PageContext } from './page-context.js'
import { groupLabel, WALLET_PATH } from './wallet-model.js'

/** How many credentials of one kind a decision concerned. */
export interface KindCount {
  credentialType: CredentialTypeName
  count: number
}

/** A tick in a circle, drawn inline (no external asset); its meaning is in the heading beside it. */
function SuccessIcon() {
  return (
    <svg class="outcome-icon" viewBox="0 0 48 48" width="56" height="56" aria-hidden="true" focusable="false">
      <circle cx="24" cy="24" r="22" />
      <path d="M14 24.5l7 7 13-14" fill="none" stroke-width="4" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  )
}

/**
 * The success page after accepting: a visual confirmation, what happened ("10 credentials from
 * University A are now in your wallet", by kind when given) and what the holder can do now.
 */
function AcceptedPage({
  ctx,
  partnerName,
  count,
  declined,
  kinds,
}: {
  ctx: PageContext
  partnerName: string
  count: number
  declined: number
  kinds: readonly KindCount[]
}) {
  const t = walletTextOf(ctx.locale)
  const r = reviewTextOf(ctx.locale)
  return (
    <Layout ctx={ctx} title={t('successTitle')}>
      <section class="outcome success">
        <SuccessIcon />
        <h1>{t('successTitle')}</h1>
        <p class="lead">{t(`success${pluralSuffix(ctx.locale, count)}`, { count, partner: partnerName })}</p>
        <p>{t('successTold', { partner: partnerName })}</p>
        {declined > 0 && <p>{r(`outcomeDeclined${pluralSuffix(ctx.locale, declined)}`, { count: declined })}</p>}
        {kinds.length > 0 && (
          <>
            <h2>{t('successAddedHeading')}</h2>
            <ul class="outcome-kinds">
              {kinds.map((kind) => (
                <li>
                  {groupLabel(ctx.locale, kind.credentialType)} <Count ctx={ctx} count={kind.count} />
                </li>
              ))}
            </ul>
          </>
        )}
        <h2>{t('nextHeading')}</h2>
        <ul class="next-steps">
          <li>{t('nextView')}</li>
          <li>{t('nextPrint')}</li>
          <li>{t('nextLater')}</li>
        </ul>
        <p>
          <a class="button" href={WALLET_PATH}>
            {t('openWallet')}
          </a>
        </p>
      </section>
    </Layout>
  )
}

/**
 * What the holder's decision did: accepted (`verified`) → the success page; declined
 * (`canceled`) → nothing was added and the partner was told.
 */
export function OutcomePage({
  ctx,
  outcome,
  partnerName,
  count,
  declined = 0,
  kinds = [],
}: {
  ctx: PageContext
  outcome: 'verified' | 'canceled'
  partnerName: string
  /** How many credentials were accepted (the success page). */
  count: number
  /** How many were declined beside them (per-item consent). */
  declined?: number
  /** The credentials by kind, for the success page. */
  kinds?: readonly KindCount[]
}) {
  const t = reviewTextOf(ctx.locale)
  if (outcome === 'canceled') {
    return (
      <MessagePage
        ctx={ctx}
        title={t('outcomeCanceledTitle')}
        body={t('outcomeCanceledBody', { partner: partnerName })}
      >
        <BackToWalletButton ctx={ctx} secondary />
      </MessagePage>
    )
  }
  return <AcceptedPage ctx={ctx} partnerName={partnerName} count={count} declined={declined} kinds={kinds} />
}

/** The link's request expired (48 h without an answer); names the partner to ask for a new link when known. */
export function ExpiredPage({
  ctx,
  partnerName,
  ttlMs,
}: {
  ctx: PageContext
  partnerName?: string | null
  /** How long submissions stay open (SUBMISSION_TTL). */
  ttlMs: number
}) {
  const t = reviewTextOf(ctx.locale)
  return (
    <MessagePage
      ctx={ctx}
      title={t('expiredTitle')}
      body={t('expiredBody', { duration: formatDuration(ctx.locale, ttlMs) })}
    >
      <p>{partnerName ? t('expiredAskPartner', { partner: partnerName }) : t('expiredAsk')}</p>
    </MessagePage>
  )
}

/** The link is bound to another holder (the first person who opened it and signed in). */
export function AlreadyBoundPage({ ctx, partnerName }: { ctx: PageContext; partnerName: string }) {
  const t = reviewTextOf(ctx.locale)
  return <MessagePage ctx={ctx} title={t('alreadyBoundTitle')} body={t('alreadyBoundBody', { partner: partnerName })} />
}

/** No request matches the link (wrong client id / content pair, or a mistyped link). */
export function LinkNotFoundPage({ ctx }: { ctx: PageContext }) {
  const t = reviewTextOf(ctx.locale)
  return <MessagePage ctx={ctx} title={t('linkNotFoundTitle')} body={t('linkNotFoundBody')} />
}

/** An address under /holder/ that is no page (mistyped, shortened, out of date): a way to the wallet. */
export function PageNotFoundPage({ ctx }: { ctx: PageContext }) {
  const t = reviewTextOf(ctx.locale)
  return (
    <MessagePage ctx={ctx} title={t('pageNotFoundTitle')} body={t('pageNotFoundBody')}>
      <BackToWalletButton ctx={ctx} />
    </MessagePage>
  )
}

/** The link's request was withdrawn by the partner that sent it, before the holder decided. */
export function WithdrawnPage({ ctx, partnerName }: { ctx: PageContext; partnerName?: string | null }) {
  const t = correctionsTextOf(ctx.locale)
  return (
    <MessagePage
      ctx={ctx}
      title={t('withdrawnTitle')}
      body={partnerName ? t('withdrawnBody', { partner: partnerName }) : t('withdrawnBodyUnknown')}
    >
      {partnerName && <p>{t('withdrawnAsk', { partner: partnerName })}</p>}
    </MessagePage>
  )
}
