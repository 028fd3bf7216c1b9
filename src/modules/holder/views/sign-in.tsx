import { translator } from '../i18n/index.js'
import { signIn } from '../i18n/sign-in.js'
import { IssuerIntro, IssuerMark, type IssuerContext } from './issuer.js'
import { CsrfField, Layout, MessagePage } from './layout.js'
import type { PageContext } from './page-context.js'

/** A problem with asking for a code (the email form, or "send a new code"). */
export type RequestCodeError =
  | { reason: 'invalid_email' }
  | { reason: 'rate_limited' | 'cooldown' | 'mail_failed'; retryAfterSeconds: number }
/** A problem with the code typed in, or with the code itself. */
export type CodeError = { reason: 'invalid'; attemptsLeft: number } | { reason: 'expired' | 'too_many_attempts' }

const signInText = (locale: PageContext['locale']) => translator(signIn, locale)
type T = ReturnType<typeof signInText>

function requestErrorText(t: T, error: RequestCodeError): string {
  switch (error.reason) {
    case 'invalid_email':
      return t('invalidEmail')
    case 'rate_limited':
      return t('rateLimited', { minutes: Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) })
    case 'cooldown':
      return t('cooldown', { seconds: error.retryAfterSeconds })
    case 'mail_failed':
      return t('mailFailed')
  }
}

function codeErrorText(t: T, error: CodeError): string {
  if (error.reason === 'invalid')
    return error.attemptsLeft === 1 ? t('wrongCodeOne') : t('wrongCode', { n: error.attemptsLeft })
  return error.reason === 'expired' ? t('expired') : t('tooManyAttempts')
}

/**
 * "Sign in": the email form. Opened from a partner's link (`issuer`), it first says who is asking
 * and what happens next, then asks for the email address.
 */
export function SignInPage({
  ctx,
  email,
  error,
  issuer,
}: {
  ctx: PageContext
  email?: string
  error?: RequestCodeError | null
  issuer?: IssuerContext | null
}) {
  const t = signInText(ctx.locale)
  const title = t('signInTitle')
  return (
    <Layout ctx={ctx} title={error ? t('errorTitle', { title }) : title}>
      {issuer ? (
        <>
          <IssuerIntro ctx={ctx} issuer={issuer} />
          <h2 class="sign-in-step">{t('emailStepTitle')}</h2>
        </>
      ) : (
        <h1>{title}</h1>
      )}
      <p>{t('signInIntro')}</p>
      <form method="post" action="/holder/sign-in" class="stack">
        <CsrfField ctx={ctx} />
        <label for="email">{t('emailLabel')}</label>
        <p class="hint" id="email-hint">
          {t('emailHint')}
        </p>
        {error && (
          <p class="notice error" id="email-error">
            {requestErrorText(t, error)}
          </p>
        )}
        <input
          type="email"
          id="email"
          name="email"
          autocomplete="email"
          spellcheck={false}
          required
          autofocus
          value={email ?? ''}
          aria-describedby={error ? 'email-hint email-error' : 'email-hint'}
          aria-invalid={error?.reason === 'invalid_email' ? 'true' : undefined}
        />
        <div class="actions">
          <button type="submit">{t('sendCode')}</button>
        </div>
      </form>
    </Layout>
  )
}

/** "Check your email": the code form, "send a new code" (with its cool-down) and "use another address". */
export function CodePage(props: {
  ctx: PageContext
  /** The address, already masked. */
  sentTo: string
  codeError?: CodeError | null
  resendError?: RequestCodeError | null
  newCodeSent?: boolean
  resendInSeconds: number
  validMinutes: number
  cooldownSeconds: number
  issuer?: IssuerContext | null
}) {
  const { ctx, codeError, resendError, issuer } = props
  const t = signInText(ctx.locale)
  const title = t('codeTitle')
  const codeUsable = codeError?.reason !== 'expired' && codeError?.reason !== 'too_many_attempts'
  return (
    <Layout ctx={ctx} title={codeError || resendError ? t('errorTitle', { title }) : title}>
      {issuer && (
        <p class="issuer-line">
          <IssuerMark issuer={issuer} />
          <span>{t('codeForIssuer', { issuer: issuer.displayName })}</span>
        </p>
      )}
      <h1>{title}</h1>
      {props.newCodeSent && <p class="notice info">{t('newCodeSent')}</p>}
      <p>{t('codeIntro', { email: props.sentTo, minutes: props.validMinutes })}</p>
      <form method="post" action="/holder/sign-in/code" class="stack">
        <CsrfField ctx={ctx} />
        <label for="code">{t('codeLabel')}</label>
        <p class="hint" id="code-hint">
          {t('codeHint')}
        </p>
        {codeError && (
          <p class="notice error" id="code-error">
            {codeErrorText(t, codeError)}
          </p>
        )}
        <input
          type="text"
          class="code"
          id="code"
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{6}"
          maxlength={6}
          required
          autofocus={codeUsable}
          aria-describedby={codeError ? 'code-hint code-error' : 'code-hint'}
          aria-invalid={codeError ? 'true' : undefined}
        />
        <div class="actions">
          <button type="submit">{t('verify')}</button>
        </div>
      </form>
      <h2>{t('resendTitle')}</h2>
      <form method="post" action="/holder/sign-in/resend" class="stack">
        <CsrfField ctx={ctx} />
        <p class="hint" id="resend-hint">
          {props.resendInSeconds > 0
            ? t('resendWait', { seconds: props.resendInSeconds })
            : t('resendHint', { seconds: props.cooldownSeconds })}
        </p>
        {resendError && (
          <p class="notice error" id="resend-error">
            {requestErrorText(t, resendError)}
          </p>
        )}
        <div class="actions">
          <button
            type="submit"
            class="secondary"
            autofocus={!codeUsable}
            aria-describedby={resendError ? 'resend-hint resend-error' : 'resend-hint'}
          >
            {t('resend')}
          </button>
        </div>
      </form>
      <p>
        <a href="/holder/sign-in">{t('useAnotherEmail')}</a>
      </p>
    </Layout>
  )
}

/** 403 for a form whose CSRF check failed: nothing was done, reload and try again. */
export function CsrfFailurePage({ ctx }: { ctx: PageContext }) {
  const t = signInText(ctx.locale)
  return <MessagePage ctx={ctx} title={t('csrfTitle')} body={t('csrfBody')} />
}
