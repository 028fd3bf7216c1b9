import { accountTextOf } from '../i18n/account.js'
import { credentialTitle } from './credentials/titles.js'
import { BackToWallet, CsrfField, Layout, MessagePage } from './layout.js'
import type { PageContext } from './page-context.js'
import type { WalletEntry } from './wallet-model.js'

/** The holder's data rights: the page, and where its forms post. */
export const ACCOUNT_PATH = '/holder/account'
export const EXPORT_PATH = '/holder/account/export'
export const DELETE_PATH = '/holder/account/delete'
export const DELETED_PATH = '/holder/account/deleted'
export const removePath = (itemId: string) => `/holder/account/remove/${encodeURIComponent(itemId)}`
/** The name of the box that confirms the account deletion, and its value when ticked. */
export const DELETE_CONFIRM_FIELD = 'confirm'
export const DELETE_CONFIRM_VALUE = 'delete-my-account'

/** The wallet's link to the holder's data rights (the wallet page shows it, full or empty). */
export function YourDataLink({ ctx }: { ctx: PageContext }) {
  return (
    <p class="your-data-link">
      <a href={ACCOUNT_PATH}>{accountTextOf(ctx.locale)('linkFromWallet')}</a>
    </p>
  )
}

/**
 * "Your data": download everything (one POST, the ZIP answers it), remove a credential (each a
 * link to its confirmation), delete the account (a link to its confirmation).
 */
export function AccountPage({ ctx, entries, removed }: { ctx: PageContext; entries: WalletEntry[]; removed: boolean }) {
  const t = accountTextOf(ctx.locale)
  return (
    <Layout ctx={ctx} title={t('accountTitle')}>
      <BackToWallet ctx={ctx} />
      <h1>{t('accountTitle')}</h1>
      {removed && (
        <p class="notice success" role="status">
          {t('removedNotice')}
        </p>
      )}
      <p>{t('accountIntro')}</p>
      <section class="data-right" aria-labelledby="export-heading">
        <h2 id="export-heading">{t('exportHeading')}</h2>
        <p>{t('exportBody')}</p>
        <form method="post" action={EXPORT_PATH}>
          <CsrfField ctx={ctx} />
          <button type="submit">{t('exportButton')}</button>
        </form>
      </section>
      <section class="data-right" aria-labelledby="remove-heading">
        <h2 id="remove-heading">{t('removeHeading')}</h2>
        <p>{t('removeBody')}</p>
        {entries.length === 0 ? (
          <p class="hint">{t('removeNone')}</p>
        ) : (
          <ul class="removable-list">
            {entries.map((entry) => {
              const title = credentialTitle(ctx.locale, entry)
              return (
                <li>
                  <span class="removable-title">{title}</span>
                  <span class="removable-issuer">{entry.issuerName ?? entry.partnerName}</span>
                  <a
                    class="button secondary small"
                    href={removePath(entry.id)}
                    aria-label={t('removeLinkLabel', { title })}
                  >
                    {t('removeLink')}
                  </a>
                </li>
              )
            })}
          </ul>
        )}
      </section>
      <section class="data-right" aria-labelledby="delete-heading">
        <h2 id="delete-heading">{t('deleteHeading')}</h2>
        <p>{t('deleteBody')}</p>
        <p>
          <a class="button danger-link" href={DELETE_PATH}>
            {t('deleteLink')}
          </a>
        </p>
      </section>
    </Layout>
  )
}

/** The confirmation of removing one credential: what goes, a button that posts it, a way back. */
export function RemoveConfirmPage({ ctx, entry }: { ctx: PageContext; entry: WalletEntry }) {
  const t = accountTextOf(ctx.locale)
  const body = t('removeConfirmBody', { title: credentialTitle(ctx.locale, entry), partner: entry.partnerName })
  return (
    <MessagePage ctx={ctx} title={t('removeConfirmTitle')} body={body}>
      <div class="actions">
        <form method="post" action={removePath(entry.id)}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="danger">
            {t('removeConfirmButton')}
          </button>
        </form>
        <a class="button secondary" href={ACCOUNT_PATH}>
          {t('goBack')}
        </a>
      </div>
    </MessagePage>
  )
}

/**
 * The confirmation of deleting the account: what goes, a box to tick (required; the server checks
 * it too), the button, a way back. `missing`: the form came back without the box ticked.
 */
export function DeleteConfirmPage({ ctx, count, missing }: { ctx: PageContext; count: number; missing: boolean }) {
  const t = accountTextOf(ctx.locale)
  const body = t('deleteConfirmBody', { count, email: ctx.signedInEmail ?? '' })
  return (
    <Layout ctx={ctx} title={t('deleteConfirmTitle')}>
      <section class="message">
        <h1>{t('deleteConfirmTitle')}</h1>
        <p>{body}</p>
        <p>
          <a href={ACCOUNT_PATH}>{t('deleteConfirmExport')}</a>
        </p>
        <form method="post" action={DELETE_PATH} class="stack delete-account">
          <CsrfField ctx={ctx} />
          {missing && (
            <p class="notice error" id="confirm-error" role="alert">
              {t('deleteConfirmRequired')}
            </p>
          )}
          <div class="check-row">
            <input
              type="checkbox"
              id="confirm"
              name={DELETE_CONFIRM_FIELD}
              value={DELETE_CONFIRM_VALUE}
              required
              aria-invalid={missing ? 'true' : undefined}
              aria-describedby={missing ? 'confirm-error' : undefined}
            />
            <label for="confirm">{t('deleteConfirmCheck')}</label>
          </div>
          <div class="actions">
            <button type="submit" class="danger">
              {t('deleteConfirmButton')}
            </button>
            <a class="button secondary" href={ACCOUNT_PATH}>
              {t('goBack')}
            </a>
          </div>
        </form>
      </section>
    </Layout>
  )
}

/** After the deletion: signed out, told plainly what happened. */
export function AccountDeletedPage({ ctx }: { ctx: PageContext }) {
  const t = accountTextOf(ctx.locale)
  return <MessagePage ctx={ctx} title={t('deletedTitle')} body={t('deletedBody')} />
}

/** An unknown credential id, another holder's, or one removed already: the same page. */
export function RemovableNotFoundPage({ ctx }: { ctx: PageContext }) {
  const t = accountTextOf(ctx.locale)
  return (
    <MessagePage ctx={ctx} title={t('notFoundTitle')} body={t('notFoundBody')}>
      <p>
        <a class="button" href={ACCOUNT_PATH}>
          {t('goBack')}
        </a>
      </p>
    </MessagePage>
  )
}
