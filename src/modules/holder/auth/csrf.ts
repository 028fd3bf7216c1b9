// Kept over @fastify/csrf-protection: our token is an HMAC under the server-side session's secret (replaced at sign-in, so a planted token dies with it) and Sec-Fetch-Site/Origin refuse cross-site posts; the plugin keeps its secret in a cookie or in @fastify/session (which we do not use) and reads no fetch metadata.
import { createHmac } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { h, type VNode } from 'preact'
import { requestPath } from '../../../plugins/problem-details.js'
import { keptOrBuilt } from '../../../lib/bounded-map.js'
import { safeEqual } from '../../../lib/crypto.js'
import { dateLocaleFor, knownTimeZone } from '../views/credentials/format.js'
import type { PageContext } from '../views/page-context.js'
import { TIME_ZONE_COOKIE } from '../views/time-zone.js'
import { newNonce, sendPage } from '../views/render.js'
import { CsrfFailurePage } from '../views/sign-in.js'
import { formSecretOf, holderDepsOf, sentFormSecret } from './session.plugin.js'
import type { SessionRow } from './sessions.js'

const CSRF_LABEL = 'credport holder form v1'

/** The synchronizer token of a session's forms: an HMAC of a fixed label under the session's secret. */
export function csrfTokenFor(session: Pick<SessionRow, 'csrfSecret'>): string {
  return tokenUnder(session.csrfSecret)
}

/**
 * Tokens of the secrets seen lately: a page load would otherwise compute its session's HMAC again
 * (the same one every time). Bounded; the oldest entry goes first.
 */
const recentTokens = new Map<string, string>()
const RECENT_TOKENS = 4096

function tokenUnder(secret: string): string {
  return keptOrBuilt(
    recentTokens,
    secret,
    () => createHmac('sha256', secret).update(CSRF_LABEL).digest('base64url'),
    RECENT_TOKENS,
  )
}

/**
 * Whether the request may come from one of our own pages. `Origin: null` is let through to the
 * token check: browsers send it for every form POST of a page with `Referrer-Policy: no-referrer`,
 * which the holder pages are; `Sec-Fetch-Site`, sent regardless of that policy, takes its place.
 */
function fromOurOwnPages(request: FastifyRequest, publicUrl: string): boolean {
  const site = request.headers['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false
  const origin = request.headers.origin
  if (origin === undefined || origin === 'null') return true
  return origin === new URL(publicUrl).origin || origin === `${request.protocol}://${request.host}`
}

/**
 * Checks a form POST: the `_csrf` field equals the token of the session's secret or, without a
 * session, of the form cookie's (constant-time), and the `Origin` header, when one is sent, is
 * Credport's own.
 */
export function verifyCsrf(request: FastifyRequest): boolean {
  const deps = holderDepsOf(request)
  const secret = request.holder.session?.csrfSecret ?? sentFormSecret(request)
  if (!secret || !fromOurOwnPages(request, deps.config.publicUrl)) return false
  // Any form body: the guard runs before the route's handler, whatever its body schema.
  const body = request.body
  const sent = typeof body === 'object' && body !== null && '_csrf' in body ? body._csrf : undefined
  return typeof sent === 'string' && safeEqual(sent, tokenUnder(secret))
}

/**
 * What every holder page renders with: language, a CSP nonce, the CSRF token (of the session, or
 * of the form cookie when there is none: a page shown to a browser without a session stores
 * nothing), who is signed in, how dates are written and the holder's time zone.
 */
export async function pageContext(request: FastifyRequest, reply: FastifyReply, path: string): Promise<PageContext> {
  const session = request.holder.session
  return {
    locale: request.holder.locale,
    nonce: newNonce(),
    csrfToken: tokenUnder(session ? session.csrfSecret : formSecretOf(request, reply)),
    signedInEmail: request.holder.holder?.email ?? null,
    path,
    dateLocale: dateLocaleFor(request.holder.locale, request.headers['accept-language']),
    timeZone: knownTimeZone(request.cookies?.[TIME_ZONE_COOKIE]),
  }
}

/**
 * What a public page without forms (a share link's page) renders with: like `pageContext`, but it
 * never issues the form cookie, so a verifier's browser is given nothing to keep.
 */
export function publicPageContext(request: FastifyRequest, path: string): PageContext {
  return {
    locale: request.holder.locale,
    nonce: newNonce(),
    csrfToken: '',
    signedInEmail: request.holder.holder?.email ?? null,
    path,
    dateLocale: dateLocaleFor(request.holder.locale, request.headers['accept-language']),
    timeZone: knownTimeZone(request.cookies?.[TIME_ZONE_COOKIE]),
  }
}

/**
 * `preHandler` for every holder form POST: when `verifyCsrf` fails, answers 403 with a page
 * asking to reload the form, and the handler never runs.
 */
export async function csrfGuard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (verifyCsrf(request)) return undefined
  request.log.info('form rejected: CSRF check failed')
  // The language links of the page lead to a GET of this path: use the sign-in page when there is none.
  const path = requestPath(request)
  const ctx = await pageContext(
    request,
    reply,
    request.server.hasRoute({ method: 'GET', url: path }) ? path : '/holder/sign-in',
  )
  return sendPage(reply, ctx.nonce, h(CsrfFailurePage, { ctx }) as VNode, 403)
}
