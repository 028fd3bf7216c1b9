import { reviewTextOf } from '../i18n/review.js'
import { pluralSuffix } from './credentials/format.js'
import { MessagePage } from './layout.js'
import type { PageContext } from './page-context.js'

/** Where the holder's accepted credentials are listed. */
export const WALLET_PATH = '/holder/wallet'

/**
 * What the holder's decision did: accepted (`verified`) → how many credentials were added, with
 * a link to the wallet; declined (`canceled`) → nothing was added and the partner was told.
 */
export function OutcomePage({
  ctx,
  outcome,
  partnerName,
  count,
}: {
  ctx: PageContext
  outcome: 'verified' | 'canceled'
  partnerName: string
  count: number
}) {
  const t = reviewTextOf(ctx.locale)
  if (outcome === 'canceled') {
    return (
      <MessagePage
        ctx={ctx}
        title={t('outcomeCanceledTitle')}
        body={t('outcomeCanceledBody', { partner: partnerName })}
      />
    )
  }
  const body = t(`outcomeVerified${pluralSuffix(ctx.locale, count)}`, { count, partner: partnerName })
  return (
    <MessagePage ctx={ctx} title={t('outcomeVerifiedTitle')} body={body}>
      <p>
        <a class="button" href={WALLET_PATH}>
          {t('openWallet')}
        </a>
      </p>
    </MessagePage>
  )
}

/** The link's request expired (48 h without an answer); names the partner to ask for a new link when known. */
export function ExpiredPage({ ctx, partnerName }: { ctx: PageContext; partnerName?: string | null }) {
  const t = reviewTextOf(ctx.locale)
  return (
    <MessagePage ctx={ctx} title={t('expiredTitle')} body={t('expiredBody')}>
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
