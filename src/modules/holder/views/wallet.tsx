import { walletTextOf } from '../i18n/wallet.js'
import { YourDataLink } from './account.js'
import { CredentialCard, ExpiredBadge } from './credentials/card.js'
import { fill } from './credentials/common.js'
import { formatDay, formatList, pluralSuffix } from './credentials/format.js'
import { expiredOn } from './credentials/essentials.js'
import { credentialTitle } from './credentials/titles.js'
import { BackToWallet, BackToWalletButton, Layout, MessagePage } from './layout.js'
import type { PageContext } from './page-context.js'
import { ShareNav } from './share-links.js'
import { RevokedBadge, RevokedNotice } from './revoked.js'
import {
  groupEntries,
  groupLabel,
  searchEntries,
  WALLET_PATH,
  walletItemPath,
  type WalletEntry,
  type WalletGroup,
} from './wallet-model.js'

const groupId = (group: WalletGroup) => `kind-${group.credentialType}`

function AddedOn({ ctx, entry }: { ctx: PageContext; entry: WalletEntry }) {
  return <time dateTime={entry.acceptedAt.toISOString()}>{formatDay(ctx, entry.acceptedAt)}</time>
}

/** A kind's count: the number on screen, the words for screen readers (wallet and success page). */
export function Count({ ctx, count }: { ctx: PageContext; count: number }) {
  const t = walletTextOf(ctx.locale)
  return (
    <span class="count">
      <span aria-hidden="true">{count}</span>
      <span class="visually-hidden">{t(`count${pluralSuffix(ctx.locale, count)}`, { count })}</span>
    </span>
  )
}

/**
 * One compact row: the title (a link to the credential's page), revoked or expired (by `today`,
 * `YYYY-MM-DD` in the holder's time zone), who issued it, when it was added.
 */
function WalletRow({ ctx, entry, today }: { ctx: PageContext; entry: WalletEntry; today: string }) {
  const t = walletTextOf(ctx.locale)
  const issuer = entry.issuerName ?? entry.partnerName
  const expired = expiredOn(entry, today)
  return (
    <li class="wallet-row">
      <a class="row-title" href={walletItemPath(entry.id)}>
        {credentialTitle(ctx.locale, entry)}
      </a>
      <RevokedBadge ctx={ctx} entry={entry} />
      {expired && <ExpiredBadge ctx={ctx} date={expired} />}
      <p class="row-meta">
        <span class="row-issuer">{issuer}</span>
        <span class="row-date">{fill(t('added'), { date: <AddedOn ctx={ctx} entry={entry} /> })}</span>
      </p>
    </li>
  )
}

function SearchForm({ ctx, query }: { ctx: PageContext; query: string }) {
  const t = walletTextOf(ctx.locale)
  return (
    <form class="wallet-search" method="get" action={WALLET_PATH}>
      <label for="q">{t('searchLabel')}</label>
      <p class="hint" id="q-hint">
        {t('searchHint')}
      </p>
      <div class="search-row">
        <input type="search" id="q" name="q" value={query} aria-describedby="q-hint" maxLength={100} />
        <button type="submit">{t('searchButton')}</button>
      </div>
    </form>
  )
}

/**
 * The signed-in holder's wallet: a summary (how many, from whom), a search (a GET form filtered on
 * the server: it works without JavaScript), links to each kind with its count, then one compact
 * row per credential, grouped by kind in registry order, newest first; each row opens the
 * credential's own page.
 */
export function WalletPage({
  ctx,
  entries,
  query,
  today,
  alreadyAccepted = false,
}: {
  ctx: PageContext
  entries: WalletEntry[]
  query: string
  /** `YYYY-MM-DD` in the holder's time zone: expired credentials are marked. */
  today: string
  /** The holder opened a link they had already accepted: said at the top. */
  alreadyAccepted?: boolean
}) {
  const t = walletTextOf(ctx.locale)
  const title = t('walletTitle')
  const accepted = alreadyAccepted && (
    <p class="notice info" role="status">
      {t('alreadyAccepted')}
    </p>
  )
  if (entries.length === 0) {
    return (
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        {accepted}
        <p class="notice info">{t('walletEmpty')}</p>
        <YourDataLink ctx={ctx} />
      </Layout>
    )
  }
  const found = searchEntries(ctx.locale, entries, query)
  const groups = groupEntries(found)
  const sources = formatList(ctx.locale, [...new Set(entries.map((entry) => entry.partnerName))])
  const summary = t(`summary${pluralSuffix(ctx.locale, entries.length)}`, { count: entries.length, sources })
  return (
    <Layout ctx={ctx} title={query ? `${title}: ${query}` : title}>
      <h1>{title}</h1>
      {accepted}
      <p class="wallet-summary">{summary}</p>
      <ShareNav ctx={ctx} />
      <SearchForm ctx={ctx} query={query} />
      {query && (
        <p class={`notice ${found.length === 0 ? 'warning' : 'info'}`} role="status">
          {found.length === 0
            ? t('noMatch', { query })
            : t(`matches${pluralSuffix(ctx.locale, found.length)}`, { count: found.length, query })}{' '}
          <a href={WALLET_PATH}>{t('showAll')}</a>
        </p>
      )}
      {groups.length > 1 && (
        <nav class="wallet-kinds" aria-label={t('kindsLabel')}>
          <ul>
            {groups.map((group) => (
              <li>
                <a href={`#${groupId(group)}`}>
                  {groupLabel(ctx.locale, group.credentialType)} <Count ctx={ctx} count={group.entries.length} />
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {groups.map((group) => (
        <section class="wallet-group" aria-labelledby={groupId(group)}>
          <h2 id={groupId(group)}>
            {groupLabel(ctx.locale, group.credentialType)} <Count ctx={ctx} count={group.entries.length} />
          </h2>
          <ul class="wallet-list">
            {group.entries.map((entry) => (
              <WalletRow ctx={ctx} entry={entry} today={today} />
            ))}
          </ul>
        </section>
      ))}
      <YourDataLink ctx={ctx} />
    </Layout>
  )
}

/**
 * One credential of the wallet on its own page: everything the review showed (the same card, its
 * documents), when and from whom it was added, a way back. Prints as the credential alone.
 */
export function WalletItemPage({ ctx, entry, today }: { ctx: PageContext; entry: WalletEntry; today: string }) {
  const t = walletTextOf(ctx.locale)
  const added = <AddedOn ctx={ctx} entry={entry} />
  return (
    <Layout ctx={ctx} title={credentialTitle(ctx.locale, entry)}>
      <BackToWallet ctx={ctx} />
      <RevokedNotice ctx={ctx} entry={entry} />
      <div class="wallet-item">
        <CredentialCard ctx={ctx} credential={entry} level={1} partnerName={entry.partnerName} today={today}>
          <p class="added">{fill(t('addedFrom'), { date: added, partner: entry.partnerName })}</p>
        </CredentialCard>
      </div>
      <p class="hint print-hint">{t('printHint')}</p>
    </Layout>
  )
}

/** An unknown credential id, or another holder's: the same page for both (nothing says which). */
export function WalletItemNotFoundPage({ ctx }: { ctx: PageContext }) {
  const t = walletTextOf(ctx.locale)
  return (
    <MessagePage ctx={ctx} title={t('notFoundTitle')} body={t('notFoundBody')}>
      <BackToWalletButton ctx={ctx} />
    </MessagePage>
  )
}
