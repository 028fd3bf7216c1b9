import { credentialTypes } from '../../credential-types/index.js'
import { reviewText, reviewTextOf } from '../i18n/review.js'
import { CredentialCard } from './credentials/card.js'
import { fill } from './credentials/common.js'
import { formatDay } from './credentials/format.js'
import { Layout } from './layout.js'
import type { WalletModel } from './models.js'
import type { PageContext } from './page-context.js'

type Group = WalletModel['groups'][number]

const TYPE_ORDER = new Map(credentialTypes.map((type, index) => [type.name as string, index]))

/** Groups in registry order, empty ones left out, each newest first (the model promises this; the page does not rely on it). */
function ordered(groups: readonly Group[]): Group[] {
  const rank = (group: Group) => TYPE_ORDER.get(group.credentialType) ?? TYPE_ORDER.size
  return groups
    .filter((group) => group.credentials.length > 0)
    .sort((a, b) => rank(a) - rank(b))
    .map((group) => ({
      ...group,
      credentials: [...group.credentials].sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime()),
    }))
}

/**
 * The signed-in holder's wallet: accepted credentials grouped by type (a heading per type),
 * newest first, each with when and from whom it was added, its issuer, facts and documents.
 */
export function WalletPage({ ctx, model }: { ctx: PageContext; model: WalletModel }) {
  const t = reviewTextOf(ctx.locale)
  const groups = ordered(model.groups)
  const total = groups.reduce((sum, group) => sum + group.credentials.length, 0)
  return (
    <Layout ctx={ctx} title={t('walletTitle')}>
      <h1>{t('walletTitle')}</h1>
      {total === 0 ? <p>{t('walletEmpty')}</p> : <p>{t('walletCount', { count: total })}</p>}
      {groups.map((group) => (
        <section class="wallet-group">
          <h2>
            {Object.hasOwn(reviewText.en, `group.${group.credentialType}`)
              ? t(`group.${group.credentialType}`)
              : group.credentialType}
          </h2>
          {group.credentials.map((credential) => {
            const added = (
              <time dateTime={credential.acceptedAt.toISOString()}>{formatDay(ctx, credential.acceptedAt)}</time>
            )
            return (
              <CredentialCard ctx={ctx} credential={credential} level={3} partnerName={credential.partnerName}>
                <p class="added">{fill(t('walletAdded'), { date: added, partner: credential.partnerName })}</p>
              </CredentialCard>
            )
          })}
        </section>
      ))}
    </Layout>
  )
}
