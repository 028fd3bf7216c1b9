import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import { CodePage, SignInPage, type CodeError, type RequestCodeError } from '../views/sign-in.js'
import { sendPage } from '../views/render.js'
import { csrfGuard, pageContext } from './csrf.js'
import { maskEmail } from './email-address.js'
import { issuerContextOf } from './issuer-context.js'
import { SIGN_IN_PATH, signedInHome } from './guards.js'
import { adoptSession, endSession, rotateSession, startSession, type StartedSession } from './session.plugin.js'
import { SIGN_IN_RULES, pendingSignIn, requestSignInCode, resendSignInCode, verifySignInCode } from './sign-in-codes.js'

const CODE_PATH = '/holder/sign-in/code'
const PAGE = { schema: { hide: true } }
/**
 * Every form POST: CSRF checked before validation, so nothing is validated (or answered) before
 * that check; the form's fields are then read leniently (a missing or repeated field shows the
 * page again, never a 400).
 */
const FORM = { schema: { hide: true, body: Type.Record(Type.String(), Type.Unknown()) }, preValidation: csrfGuard }
/** `?sent=1` after a new code was sent; anything else is ignored. */
const CODE_PAGE = { schema: { hide: true, querystring: Type.Object({ sent: Type.Optional(Type.Unknown()) }) } }
const STATUS: Record<RequestCodeError['reason'], number> = {
  invalid_email: 400,
  rate_limited: 429,
  cooldown: 429,
  mail_failed: 503,
}

function withRetryAfter(reply: FastifyReply, error: RequestCodeError): FastifyReply {
  return 'retryAfterSeconds' in error ? reply.header('retry-after', String(error.retryAfterSeconds)) : reply
}

async function renderCodePage(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    codeError?: CodeError | null
    resendError?: RequestCodeError | null
    newCodeSent?: boolean
    status?: number
  },
): Promise<FastifyReply> {
  const pending = request.holder.session ? await pendingSignIn(deps, request.holder.session.id) : null
  if (!pending) return reply.redirect(SIGN_IN_PATH, 303)
  const ctx = await pageContext(request, reply, CODE_PATH)
  const issuer = await issuerContextOf(deps, request.holder.session?.pendingSubmissionId)
  const codeError = options.codeError ?? (pending.state === 'active' ? null : { reason: pending.state })
  const page = (
    <CodePage
      ctx={ctx}
      sentTo={maskEmail(pending.email)}
      codeError={codeError}
      resendError={options.resendError ?? null}
      newCodeSent={options.newCodeSent ?? false}
      resendInSeconds={pending.resendInSeconds}
      validMinutes={SIGN_IN_RULES.codeTtlMs / 60_000}
      cooldownSeconds={SIGN_IN_RULES.resendCooldownMs / 1000}
      issuer={issuer}
    />
  )
  return sendPage(reply, ctx.nonce, page, options.status ?? 200)
}

/** Sign-in with an emailed one-time code, and sign-out: `/holder/sign-in`, `/holder/sign-in/code`, `/holder/sign-in/resend`, `/holder/sign-out`. */
export async function signInRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  await app.register(formbody, { bodyLimit: 16 * 1024 })

  app.get(SIGN_IN_PATH, PAGE, async (request, reply) => {
    if (request.holder.holder) return reply.redirect(signedInHome(request), 303)
    // Stores nothing: without a session, the form is bound to the form cookie, and the session
    // comes with the POST (so that anyone may fetch this page without filling the sessions table).
    const ctx = await pageContext(request, reply, SIGN_IN_PATH)
    const issuer = await issuerContextOf(deps, request.holder.session?.pendingSubmissionId)
    return sendPage(reply, ctx.nonce, <SignInPage ctx={ctx} issuer={issuer} />)
  })

  app.post(SIGN_IN_PATH, FORM, async (request, reply) => {
    if (request.holder.holder) return reply.redirect(signedInHome(request), 303)
    const email = request.body.email
    const issuer = await issuerContextOf(deps, request.holder.session?.pendingSubmissionId)
    const started: { session?: StartedSession } = {}
    const result = await requestSignInCode(deps, {
      sessionId: request.holder.session?.id ?? null,
      // Stored only once the code is sure to go out: a refused request stores no session.
      openSession: async (tx) => {
        started.session = await startSession(deps, request, tx)
        return started.session.session.id
      },
      email,
      ip: request.ip,
      locale: request.holder.locale,
      log: request.log,
      issuer: issuer?.displayName ?? null,
    })
    // Committed with its code (whether or not the mail went out): now the browser may have it.
    if (started.session) adoptSession(deps, request, reply, started.session)
    if (result.ok) return reply.redirect(CODE_PATH, 303)
    const ctx = await pageContext(request, reply, SIGN_IN_PATH)
    const typed = typeof email === 'string' ? email.slice(0, 320) : ''
    return sendPage(
      withRetryAfter(reply, result),
      ctx.nonce,
      <SignInPage ctx={ctx} email={typed} error={result} issuer={issuer} />,
      STATUS[result.reason],
    )
  })

  app.get(CODE_PATH, CODE_PAGE, async (request, reply) => {
    if (request.holder.holder) return reply.redirect(signedInHome(request), 303)
    return renderCodePage(deps, request, reply, { newCodeSent: request.query.sent === '1' })
  })

  app.post(CODE_PATH, FORM, async (request, reply) => {
    if (request.holder.holder) return reply.redirect(signedInHome(request), 303)
    // No session: no code was ever asked for in this browser.
    if (!request.holder.session) return reply.redirect(SIGN_IN_PATH, 303)
    const result = await verifySignInCode(deps, {
      sessionId: request.holder.session.id,
      code: request.body.code,
    })
    if (result.ok) {
      await rotateSession(deps, request, reply, { id: result.holderId, email: result.email })
      request.log.info('holder signed in')
      return reply.redirect(signedInHome(request), 303)
    }
    if (result.reason === 'no_code') return reply.redirect(SIGN_IN_PATH, 303)
    return renderCodePage(deps, request, reply, { codeError: result, status: 400 })
  })

  app.post('/holder/sign-in/resend', FORM, async (request, reply) => {
    if (request.holder.holder) return reply.redirect(signedInHome(request), 303)
    if (!request.holder.session) return reply.redirect(SIGN_IN_PATH, 303)
    const issuer = await issuerContextOf(deps, request.holder.session.pendingSubmissionId)
    const result = await resendSignInCode(deps, {
      sessionId: request.holder.session.id,
      ip: request.ip,
      locale: request.holder.locale,
      log: request.log,
      issuer: issuer?.displayName ?? null,
    })
    if (result.ok) return reply.redirect(`${CODE_PATH}?sent=1`, 303)
    if (result.reason === 'no_code' || result.reason === 'invalid_email') return reply.redirect(SIGN_IN_PATH, 303)
    return renderCodePage(deps, request, withRetryAfter(reply, result), {
      resendError: result,
      status: STATUS[result.reason],
    })
  })

  app.post('/holder/sign-out', FORM, async (request, reply) => {
    await endSession(deps, request, reply)
    return reply.redirect(SIGN_IN_PATH, 303)
  })
}
