import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Executor } from '../../../db/client.js'
import type { Deps } from '../../../deps.js'
import { isLocale, negotiateLocale, type Locale } from '../i18n/index.js'
import type { HolderPage } from '../../submissions/index.js'
import { randomToken } from '../../../lib/crypto.js'
import { knownTimeZone } from '../views/credentials/format.js'
import { TIME_ZONE_COOKIE, TIME_ZONE_COOKIE_MAX_AGE, TIME_ZONE_COOKIE_PATH } from '../views/time-zone.js'
import {
  SESSION_TTL_MS,
  expireSession,
  loadSession,
  openSession,
  replaceSession,
  setSessionLocale,
  type HolderIdentity,
  type SessionRow,
} from './sessions.js'

/** Who is on a holder page: the browser session (if any), the signed-in holder (if any) and the page language. */
export interface HolderContext {
  session: SessionRow | null
  holder: HolderIdentity | null
  locale: Locale
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `holderSessionPlugin` on every holder page request. */
    holder: HolderContext
  }
  interface FastifyContextConfig {
    /**
     * A holder page whose read comes with the session's, in one statement (`prefetchedPage`): a
     * page load is then one round trip to the database.
     */
    holderPage?: HolderPage
  }
}

/** Cookie remembering a language chosen before any session exists. */
const LANG_COOKIE = 'credport_lang'
const LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

interface RequestState {
  deps: Deps
  /** The language the holder picked (`?lang=` now, or earlier through the cookie), as opposed to negotiated. */
  chosenLocale: Locale | null
  /** The form cookie's value as the request brought it: the CSRF secret of a browser without a session. */
  sentFormSecret: string | null
  /** A form secret issued by this response, when the request brought none. */
  issuedFormSecret: string | null
  /** What the route's `holderPage` reads, read with the session (JSON), when there was a session. */
  page?: { name: HolderPage; json: unknown }
}
const states = new WeakMap<FastifyRequest, RequestState>()

function stateOf(request: FastifyRequest): RequestState {
  const state = states.get(request)
  if (!state) throw new Error('holderSessionPlugin is not registered for this route')
  return state
}

/** The dependencies the session plugin was registered with; throws on a route outside its scope. */
export function holderDepsOf(request: FastifyRequest): Deps {
  return stateOf(request).deps
}

/** Whether cookies must be Secure: the public address is https. */
function isSecureDeployment(deps: Pick<Deps, 'config'>): boolean {
  return deps.config.publicUrl.startsWith('https:')
}

/** `__Host-credport_session` on https (bound to the exact host, Secure, Path=/), `credport_session` otherwise. */
function sessionCookieName(deps: Pick<Deps, 'config'>): string {
  return isSecureDeployment(deps) ? '__Host-credport_session' : 'credport_session'
}

/**
 * `__Host-credport_form` on https, `credport_form` otherwise: a random CSRF secret for the forms a
 * browser sees before it has a session. Nothing is stored for it, so landing on a link (which mail
 * link scanners do) writes nothing; the session row comes with the form POST that opens the link,
 * or with the sign-in form.
 */
function formCookieName(deps: Pick<Deps, 'config'>): string {
  return isSecureDeployment(deps) ? '__Host-credport_form' : 'credport_form'
}
const FORM_SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/

/**
 * Sets one of Credport's cookies (@fastify/cookie): HttpOnly, SameSite=Lax, Path=/, Secure on
 * https, never a Domain; a `maxAge` of 0 deletes it. Only our own names and base64url or locale
 * values reach here (the cookie library refuses a name or value it would have to mangle).
 */
function setCookie(deps: Deps, reply: FastifyReply, name: string, value: string, maxAge: number): void {
  reply.setCookie(name, value, {
    path: '/',
    maxAge: Math.max(0, Math.floor(maxAge)),
    httpOnly: true,
    sameSite: 'lax',
    secure: isSecureDeployment(deps),
  })
}

function setSessionCookie(deps: Deps, reply: FastifyReply, token: string, maxAge: number): void {
  setCookie(deps, reply, sessionCookieName(deps), token, maxAge)
}

function setFormCookie(deps: Deps, reply: FastifyReply, secret: string, maxAge: number): void {
  setCookie(deps, reply, formCookieName(deps), secret, maxAge)
}

/**
 * Remembers the time zone a browser sent (the landing page's hand-off posts `Intl…timeZone`) in
 * the cookie the signed-in pages' time-zone script sets, with the same attributes (Path=/holder,
 * a year, SameSite=Lax, Secure on https, readable by that script, which keeps it up to date), so
 * the first review after signing in writes times in the holder's zone. Only a zone this runtime
 * knows is kept (stored as it names it); anything else is ignored, and an unchanged zone is not
 * written again.
 */
export function rememberTimeZone(request: FastifyRequest, reply: FastifyReply, sent: unknown): void {
  const zone = knownTimeZone(sent)
  if (!zone || request.cookies[TIME_ZONE_COOKIE] === zone) return
  reply.setCookie(TIME_ZONE_COOKIE, zone, {
    path: TIME_ZONE_COOKIE_PATH,
    maxAge: TIME_ZONE_COOKIE_MAX_AGE,
    sameSite: 'lax',
    secure: isSecureDeployment(holderDepsOf(request)),
    // As the script writes it ('Australia/Melbourne', not 'Australia%2FMelbourne'): `knownTimeZone`
    // lets only cookie-safe characters through.
    encode: (value) => value,
  })
}

/** The `?lang=` of a holder page (read before any route validates its query). */
function langParameter(query: unknown): Locale | null {
  if (typeof query !== 'object' || query === null || !('lang' in query)) return null
  return isLocale(query.lang) ? query.lang : null
}

/**
 * For every holder page request: loads the session named by the cookie (expired = absent), the
 * signed-in holder, and the language — `?lang=` (remembered in the session, or in a cookie when
 * there is none yet), else the session's, else the cookie's, else `Accept-Language`.
 */
export const holderSessionPlugin = fp(
  async (app: FastifyInstance, options: { deps: Deps }) => {
    const { deps } = options
    app.decorateRequest('holder', null as unknown as HolderContext)
    // Parses the Cookie header into `request.cookies` (first value of a name wins) in an onRequest
    // hook that runs before the one below; `reply.setCookie` writes Set-Cookie, once a name.
    await app.register(fastifyCookie)
    app.addHook('onRequest', async (request, reply) => {
      // The stylesheet needs no session: spare it the database round trip.
      if (request.url.startsWith('/holder/static/')) return
      const { cookies } = request
      const token = cookies[sessionCookieName(deps)]
      const page = request.routeOptions.config?.holderPage
      const loaded = token ? await loadSession(deps, token, page) : null
      const session = loaded?.session ?? null
      const fromCookie = cookies[LANG_COOKIE]
      const asked = langParameter(request.query)
      if (asked && session) {
        if (session.locale !== asked) await setSessionLocale(deps, session.id, asked)
        session.locale = asked
      } else if (asked && fromCookie !== asked) {
        setCookie(deps, reply, LANG_COOKIE, asked, LANG_COOKIE_MAX_AGE)
      }
      const cookieLocale = isLocale(fromCookie) ? fromCookie : null
      const sessionLocale = isLocale(session?.locale) ? session.locale : null
      const chosenLocale = asked ?? sessionLocale ?? cookieLocale
      const formSecret = cookies[formCookieName(deps)]
      const sentFormSecret = formSecret && FORM_SECRET_SHAPE.test(formSecret) ? formSecret : null
      states.set(request, {
        deps,
        chosenLocale,
        sentFormSecret,
        issuedFormSecret: null,
        page: page && loaded ? { name: page, json: loaded.page } : undefined,
      })
      request.holder = {
        session,
        holder: loaded?.holder ?? null,
        locale: chosenLocale ?? negotiateLocale(request.headers['accept-language']),
      }
    })
  },
  { name: 'credport-holder-session' },
)

/**
 * What `page` reads, as read with the request's session (JSON, see `holderPageColumn`; null when
 * it found nothing); undefined when it was not read with it (no session, or another page): the
 * route then reads it itself.
 */
export function prefetchedPage(request: FastifyRequest, page: HolderPage): { json: unknown } | undefined {
  const read = stateOf(request).page
  return read?.name === page ? { json: read.json } : undefined
}

/** The CSRF secret of a browser without a session: its form cookie's, or a new one (and the cookie set). */
export function formSecretOf(request: FastifyRequest, reply: FastifyReply): string {
  const state = stateOf(request)
  if (state.sentFormSecret) return state.sentFormSecret
  if (!state.issuedFormSecret) {
    state.issuedFormSecret = randomToken(32)
    setFormCookie(state.deps, reply, state.issuedFormSecret, SESSION_TTL_MS / 1000)
  }
  return state.issuedFormSecret
}

/** The form cookie's secret as the request brought it (never one issued now): what a form POST without a session is checked against. */
export function sentFormSecret(request: FastifyRequest): string | null {
  return stateOf(request).sentFormSecret
}

/** A session row stored for a browser that had none, and the cookie token that names it. */
export type StartedSession = { token: string; session: SessionRow }

/**
 * Stores a new session for a browser without one (inside `db`'s transaction, when given), taking
 * over the form cookie's secret, so forms shown before it (in other tabs) still work. The browser
 * learns of it only through `adoptSession`, once the session is sure to exist.
 */
export async function startSession(
  deps: Deps,
  request: FastifyRequest,
  db: Executor = deps.db,
): Promise<StartedSession> {
  const state = stateOf(request)
  return openSession(deps, { locale: state.chosenLocale, csrfSecret: state.sentFormSecret }, db)
}

/** Gives the browser a stored new session: its cookie is set and the form cookie deleted. */
export function adoptSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  started: StartedSession,
): SessionRow {
  setSessionCookie(deps, reply, started.token, SESSION_TTL_MS / 1000)
  if (stateOf(request).sentFormSecret) setFormCookie(deps, reply, '', 0)
  request.holder.session = started.session
  return started.session
}

/**
 * The request's session, started and adopted when the browser has none yet; sign-in replaces its
 * secret (`rotateSession`).
 */
export async function ensureSession(deps: Deps, request: FastifyRequest, reply: FastifyReply): Promise<SessionRow> {
  if (request.holder.session) return request.holder.session
  return adoptSession(deps, request, reply, await startSession(deps, request))
}

/**
 * Signs `holder` in: replaces the session by a new one (new cookie token, id and CSRF secret —
 * a token planted before sign-in is worthless after it), keeping the pending submission and language.
 */
export async function rotateSession(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  holder: HolderIdentity,
): Promise<SessionRow> {
  const current = await ensureSession(deps, request, reply)
  const { token, session } = await replaceSession(deps, current, holder.id)
  setSessionCookie(deps, reply, token, SESSION_TTL_MS / 1000)
  request.holder = { session, holder, locale: request.holder.locale }
  return session
}

/** Signs out: ends the session server-side and deletes the cookie. */
export async function endSession(deps: Deps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.holder.session) await expireSession(deps, request.holder.session.id)
  setSessionCookie(deps, reply, '', 0)
  request.holder = { session: null, holder: null, locale: request.holder.locale }
}
