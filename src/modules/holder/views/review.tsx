import { credentialTypes } from '../../credential-types/index.js'
import { reviewTextOf } from '../i18n/review.js'
import { CredentialCard, type HolderNameShown } from './credentials/card.js'
import { distinctNames, expiredOn } from './credentials/essentials.js'
import { formatDate, formatInstant, formatList, pluralSuffix, todayIn } from './credentials/format.js'
import { credentialTitle } from './credentials/titles.js'
import { CsrfField, Layout, MessagePage } from './layout.js'
import type { CredentialView, ReviewCredential, ReviewModel } from './models.js'
import type { PageContext } from './page-context.js'
import { REVIEW_SELECTION_SCRIPT_PATH } from './review-selection.js'
import { groupLabel } from './wallet-model.js'

/** The holder's two answers to a submission. */
export type Decision = 'accept' | 'decline'

/** The id of the review's accept form, which every credential's checkbox belongs to (`form=`). */
const ACCEPT_FORM = 'accept-form'
/**
 * Field of a form that names its credentials one by one (`item`, repeated): then the accepted are
 * exactly those named, and none means declining all. A form without it (a page from before
 * per-item consent) accepts every credential.
 */
export const CHOICE_FIELD = 'choice'

/** Where the review page posts a decision (answered with the confirmation step). */
export const DECISION_PATH = '/holder/review/decision'
/** Where the confirmation step posts the confirmed decision. */
export const CONFIRM_PATH = '/holder/review/decision/confirm'
/** The review page, where the confirmation step's "Go back" leads. */
export const REVIEW_PATH = '/holder/review'

function DecisionForm({
  ctx,
  action,
  decision,
  label,
  danger,
  requestId,
  id,
  items,
}: {
  ctx: PageContext
  action: string
  decision: Decision
  label: string
  danger: boolean
  requestId: string
  id?: string
  /** The credentials it accepts, named one by one (else every one, or those whose checkboxes name this form). */
  items?: readonly string[]
}) {
  return (
    <form method="post" action={action} id={id}>
      <CsrfField ctx={ctx} />
      {/* Names the submission decided on, so a decision made in an older tab never lands on another one. */}
      <input type="hidden" name="submission" value={requestId} />
      {(id === ACCEPT_FORM || items) && <input type="hidden" name={CHOICE_FIELD} value="items" />}
      {items?.map((item) => (
        <input type="hidden" name="item" value={item} />
      ))}
      <input type="hidden" name="decision" value={decision} />
      <button type="submit" class={danger ? 'danger' : undefined}>
        {label}
      </button>
    </form>
  )
}

/** A credential's checkbox: selected by default, part of the accept form, named with the credential's title. */
function Choice({ ctx, credential }: { ctx: PageContext; credential: ReviewCredential }) {
  const t = reviewTextOf(ctx.locale)
  return (
    <p class="choice">
      <label>
        <input type="checkbox" name="item" value={credential.id} form={ACCEPT_FORM} checked />{' '}
        <span>{t('choiceAccept')}</span>
        <span class="visually-hidden">: {credentialTitle(ctx.locale, credential)}</span>
      </label>
    </p>
  )
}

/** Every credential's kind once, in registry order, with how many there are of it ("Qualifications (2)"). */
function kindsOf(ctx: PageContext, credentials: readonly CredentialView[]): string {
  const counts = new Map<string, number>()
  for (const c of credentials) counts.set(c.credentialType, (counts.get(c.credentialType) ?? 0) + 1)
  const order = [...credentialTypes.map((type) => type.name as string), ...counts.keys()]
  const kinds = [...new Set(order)]
    .filter((type) => counts.has(type))
    .map((type) => {
      const name = groupLabel(ctx.locale, type)
      const count = counts.get(type)!
      return count > 1 ? `${name} (${count})` : name
    })
  return formatList(ctx.locale, kinds)
}

/** Where the documents stand: none, all received, or how many of them. */
function documentsStatus(ctx: PageContext, credentials: readonly CredentialView[]): string {
  const t = reviewTextOf(ctx.locale)
  const documents = credentials.flatMap((c) => c.documents)
  const received = documents.filter((d) => !NOT_RECEIVED.has(d.state)).length
  if (documents.length === 0) return t('documentsNone')
  if (received < documents.length) return t('documentsSome', { arrived: received, count: documents.length })
  return t(`documentsArrived${pluralSuffix(ctx.locale, documents.length)}`, { count: documents.length })
}

const NOT_RECEIVED = new Set(['awaiting_upload', 'awaiting_fetch', 'missing'])

/**
 * Review and consent, fitted to a phone's first screen: a summary (who sent it, in whose name,
 * how many credentials of which kinds, where the documents stand, when the link expires), the
 * warnings that matter (expired credentials, names that differ, documents still to come) and the
 * two decisions (each a form with the CSRF token, each followed by a confirmation step). Below,
 * compact cards that open for their details. `otherRequest`: a decision just sent from an older
 * page named another request, and changed nothing.
 */
export function ReviewPage({
  ctx,
  model,
  otherRequest = false,
}: {
  ctx: PageContext
  model: ReviewModel
  otherRequest?: boolean
}) {
  const t = reviewTextOf(ctx.locale)
  const partner = model.partnerName
  const count = model.credentials.length
  const plural = pluralSuffix(ctx.locale, count)
  const title = t(`reviewTitle${plural}`, { partner, count })
  const awaiting = model.credentials.some((c) =>
    c.documents.some((d) => d.state === 'awaiting_upload' || d.state === 'awaiting_fetch'),
  )
  const today = todayIn(ctx, model.asOf)
  const names = distinctNames(model.credentials)
  const holderName: HolderNameShown = names.length > 1 ? 'differs' : names.length === 1 ? 'said-once' : 'in-details'
  const expired = model.credentials.flatMap((credential) => {
    const on = expiredOn(credential, today)
    return on ? [`${credentialTitle(ctx.locale, credential)} (${formatDate(ctx, on)})`] : []
  })
  const expiredWarning =
    expired.length === 1
      ? t('warnExpiredOne', { title: expired[0]! })
      : t('warnExpiredOther', { count: expired.length })
  const expires = <time dateTime={model.expiresAt.toISOString()}>{formatInstant(ctx, model.expiresAt)}</time>
  return (
    <Layout ctx={ctx} title={title} scripts={[REVIEW_SELECTION_SCRIPT_PATH]}>
      {otherRequest && (
        <p class="notice info" role="status">
          {t('reviewOtherRequest')}
        </p>
      )}
      <h1 class="review-title">{title}</h1>
      <section class="summary" id="decision" aria-label={t('summaryLabel')}>
        <dl class="summary-facts">
          <dt>{t('summaryFrom')}</dt>
          <dd>{partner}</dd>
          {names.length === 1 && (
            <>
              <dt>{t('summaryName')}</dt>
              <dd>{names[0]}</dd>
            </>
          )}
          <dt>{t('summaryCredentials')}</dt>
          <dd>{count}</dd>
          <dd class="kinds">{kindsOf(ctx, model.credentials)}</dd>
          <dt>{t('summaryDocuments')}</dt>
          <dd>{documentsStatus(ctx, model.credentials)}</dd>
          <dt>{t('summaryExpires')}</dt>
          <dd>{expires}</dd>
        </dl>
        {names.length > 1 && <p class="notice warning">{t('warnNames', { names: formatList(ctx.locale, names) })}</p>}
        {expired.length > 0 && <p class="notice warning">{expiredWarning}</p>}
        {awaiting && <p class="notice info">{t('reviewAwaiting')}</p>}
        <div class="actions">
          <DecisionForm
            ctx={ctx}
            action={DECISION_PATH}
            decision="accept"
            label={t(`accept${plural}`, { count })}
            danger={false}
            requestId={model.requestId}
            id={ACCEPT_FORM}
          />
          <DecisionForm
            ctx={ctx}
            action={DECISION_PATH}
            decision="decline"
            label={t('decline')}
            danger={true}
            requestId={model.requestId}
          />
        </div>
        {/* Filled by the selection script as checkboxes change (empty while all are selected); it
            holds the script's texts, the accept button's among them. */}
        <p
          id="selection"
          class="selection"
          aria-live="polite"
          data-summary={t('selectionSummary', { accepted: '{accepted}', declined: '{declined}' })}
          data-none={t('selectionNone')}
          data-accept-one={t('acceptOne', { count: '{count}' })}
          data-accept-other={t('acceptOther', { count: '{count}' })}
          data-accept-none={t('acceptNone')}
        />
        <p class="hint">{t('reviewIntroDecline', { partner })}</p>
      </section>
      <fieldset class="choices">
        <legend>
          <h2>{t('credentialsHeading')}</h2>
        </legend>
        <p class="hint intro">
          {t('reviewIntro')} {t('reviewChoose')}
        </p>
        {model.credentials.map((credential) => (
          <CredentialCard
            ctx={ctx}
            credential={credential}
            level={3}
            partnerName={partner}
            holderName={holderName}
            today={today}
          >
            <Choice ctx={ctx} credential={credential} />
          </CredentialCard>
        ))}
      </fieldset>
      <p class="back-to-decision">
        <a href="#decision">{t('backToDecision')}</a>
      </p>
    </Layout>
  )
}

/**
 * The confirmation step of a decision: what will happen, a button that posts the confirmed
 * decision (with the CSRF token and, when accepting, the credentials accepted), and a way back to
 * the review. Accepting some: "Accept 8, decline 2?" with the titles of those to be declined.
 * Accepting none (every checkbox cleared): the decline of the whole request, said so.
 */
export function ConfirmPage({
  ctx,
  decision,
  partnerName,
  accepted,
  declined,
  requestId,
}: {
  ctx: PageContext
  decision: Decision
  partnerName: string
  /** The credentials to be accepted (none when declining). */
  accepted: readonly ReviewCredential[]
  /** The credentials to be declined. */
  declined: readonly ReviewCredential[]
  requestId: string
}) {
  const t = reviewTextOf(ctx.locale)
  const back = (
    <a class="button secondary" href={REVIEW_PATH}>
      {t('goBack')}
    </a>
  )
  if (decision === 'decline' || accepted.length === 0) {
    const noneSelected = decision === 'accept'
    return (
      <MessagePage ctx={ctx} title={t('confirmDeclineTitle')} body={t('confirmDeclineBody', { partner: partnerName })}>
        {noneSelected && (
          <p class="notice warning" role="status">
            {t('confirmNoneSelected')}
          </p>
        )}
        <div class="actions">
          <DecisionForm
            ctx={ctx}
            action={CONFIRM_PATH}
            decision="decline"
            label={t('confirmDeclineButton')}
            danger={true}
            requestId={requestId}
          />
          {back}
        </div>
      </MessagePage>
    )
  }
  const items = accepted.map((c) => c.id)
  if (declined.length === 0) {
    const count = accepted.length
    return (
      <MessagePage
        ctx={ctx}
        title={t(`confirmAcceptTitle${pluralSuffix(ctx.locale, count)}`, { count })}
        body={t('confirmAcceptBody', { partner: partnerName })}
      >
        <div class="actions">
          <DecisionForm
            ctx={ctx}
            action={CONFIRM_PATH}
            decision="accept"
            label={t('confirmAcceptButton')}
            danger={false}
            requestId={requestId}
            items={items}
          />
          {back}
        </div>
      </MessagePage>
    )
  }
  const counts = { accepted: accepted.length, declined: declined.length }
  return (
    <MessagePage
      ctx={ctx}
      title={t('confirmPartialTitle', counts)}
      body={t('confirmPartialBody', { partner: partnerName })}
    >
      <h2>{t('confirmPartialDeclined')}</h2>
      <ul class="declined-list">
        {declined.map((credential) => (
          <li>{credentialTitle(ctx.locale, credential)}</li>
        ))}
      </ul>
      <div class="actions">
        <DecisionForm
          ctx={ctx}
          action={CONFIRM_PATH}
          decision="accept"
          label={t('confirmPartialButton', counts)}
          danger={false}
          requestId={requestId}
          items={items}
        />
        {back}
      </div>
    </MessagePage>
  )
}
