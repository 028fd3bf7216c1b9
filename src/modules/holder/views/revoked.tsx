import { correctionsTextOf } from '../i18n/corrections.js'
import { formatDay } from './credentials/format.js'
import type { PageContext } from './page-context.js'
import type { WalletEntry } from './wallet-model.js'

/**
 * A credential its issuer revoked stays in the wallet, marked: a badge on its wallet row, and on
 * its own page a notice with who revoked it, when, and the reason they gave. Nothing for one that stands.
 */

/** The wallet row's mark: a badge, and the date in words for everyone. */
export function RevokedBadge({ ctx, entry }: { ctx: PageContext; entry: Pick<WalletEntry, 'revocation'> }) {
  if (!entry.revocation) return null
  const t = correctionsTextOf(ctx.locale)
  return (
    <span class="badge bad revoked-badge">
      {t('revokedBadge')}{' '}
      <time dateTime={entry.revocation.revokedAt.toISOString()}>{formatDay(ctx, entry.revocation.revokedAt)}</time>
    </span>
  )
}

/** The credential page's notice: revoked by whom, when, why, and what that means. */
export function RevokedNotice({
  ctx,
  entry,
}: {
  ctx: PageContext
  entry: Pick<WalletEntry, 'revocation' | 'partnerName'>
}) {
  const revocation = entry.revocation
  if (!revocation) return null
  const t = correctionsTextOf(ctx.locale)
  return (
    <div class="notice error revoked-notice" role="note">
      <h2 class="revoked-title">{t('revokedBadge')}</h2>
      <p>{t('revokedOn', { partner: entry.partnerName, date: formatDay(ctx, revocation.revokedAt) })}</p>
      {revocation.reason && <p class="revoked-reason">{t('revokedReason', { reason: revocation.reason })}</p>}
      <p>{t('revokedNote')}</p>
    </div>
  )
}
