import { reviewTextOf } from '../i18n/review.js'
import { CredentialCard } from './credentials/card.js'
import { fill } from './credentials/common.js'
import { formatInstant, pluralSuffix } from './credentials/format.js'
import { CsrfField, Layout, MessagePage } from './layout.js'
import type { ReviewModel } from './models.js'
import type { PageContext } from './page-context.js'

/** The holder's two answers to a submission. */
export type Decision = 'accept' | 'decline'

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
}: {
  ctx: PageContext
  action: string
  decision: Decision
  label: string
  danger: boolean
  requestId: string
}) {
  return (
    <form method="post" action={action}>
      <CsrfField ctx={ctx} />
      {/* Names the submission decided on, so a decision made in an older tab never lands on another one. */}
      <input type="hidden" name="submission" value={requestId} />
      <input type="hidden" name="decision" value={decision} />
      <button type="submit" class={danger ? 'danger' : undefined}>
        {label}
      </button>
    </form>
  )
}

/**
 * Review and consent: every credential of the submission with its documents, then the two
 * decisions (each a form with the CSRF token, each followed by a confirmation step) and when the
 * request expires. `otherRequest`: a decision just sent from an older page named another request,
 * and changed nothing.
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
  const title = t(`reviewTitle${pluralSuffix(ctx.locale, count)}`, { partner, count })
  const awaiting = model.credentials.some((c) =>
    c.documents.some((d) => d.state === 'awaiting_upload' || d.state === 'awaiting_fetch'),
  )
  const expires = <time dateTime={model.expiresAt.toISOString()}>{formatInstant(ctx.locale, model.expiresAt)}</time>
  return (
    <Layout ctx={ctx} title={title}>
      {otherRequest && (
        <p class="alert info" role="status">
          {t('reviewOtherRequest')}
        </p>
      )}
      <h1>{title}</h1>
      <p>{t('reviewIntro')}</p>
      <p>{t('reviewIntroDecline', { partner })}</p>
      {awaiting && <p class="alert info">{t('reviewAwaiting')}</p>}
      {model.credentials.map((credential) => (
        <CredentialCard ctx={ctx} credential={credential} level={2} partnerName={partner} />
      ))}
      <section class="decision">
        <h2>{t('decisionHeading')}</h2>
        <p>{fill(t('reviewExpires'), { date: expires })}</p>
        <div class="actions">
          <DecisionForm
            ctx={ctx}
            action={DECISION_PATH}
            decision="accept"
            label={t('accept')}
            danger={false}
            requestId={model.requestId}
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
      </section>
    </Layout>
  )
}

/**
 * The confirmation step of a decision: what will happen, a button that posts the confirmed
 * decision (with the CSRF token), and a way back to the review.
 */
export function ConfirmPage({
  ctx,
  decision,
  partnerName,
  count,
  requestId,
}: {
  ctx: PageContext
  decision: Decision
  partnerName: string
  count: number
  requestId: string
}) {
  const t = reviewTextOf(ctx.locale)
  const accept = decision === 'accept'
  const title = accept ? t(`confirmAcceptTitle${pluralSuffix(ctx.locale, count)}`, { count }) : t('confirmDeclineTitle')
  const body = accept
    ? t('confirmAcceptBody', { partner: partnerName })
    : t('confirmDeclineBody', { partner: partnerName })
  return (
    <MessagePage ctx={ctx} title={title} body={body}>
      <div class="actions">
        <DecisionForm
          ctx={ctx}
          action={CONFIRM_PATH}
          decision={decision}
          label={accept ? t('confirmAcceptButton') : t('confirmDeclineButton')}
          danger={!accept}
          requestId={requestId}
        />
        <a class="button secondary" href={REVIEW_PATH}>
          {t('goBack')}
        </a>
      </div>
    </MessagePage>
  )
}
