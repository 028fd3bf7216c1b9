import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { Executor } from '../../../db/client.js'
import type { Deps } from '../../../deps.js'
import type { Locale } from '../i18n/index.js'
import { hashCode, hashIp, signInKey } from './code-hash.js'
import { normaliseEmail } from './email-address.js'
import { signInCodeMessage } from './sign-in-mail.js'
import {
  countCodesSince,
  findLastCodeOfSession,
  findLatestCodeForEmail,
  insertCode,
  lockSignInRequests,
  retireLiveCodes,
  updateCode,
  upsertHolder,
} from './sign-in-codes.repo.js'

/** The rules of emailed sign-in codes. */
export const SIGN_IN_RULES = {
  codeTtlMs: 10 * 60 * 1000,
  maxAttempts: 5,
  perEmailPerHour: 5,
  perIpPerHour: 20,
  resendCooldownMs: 60 * 1000,
} as const
const HOUR_MS = 60 * 60 * 1000

/** What sign-in code operations need. */
export type SignInDeps = Pick<Deps, 'db' | 'clock' | 'mailer'>
/** Why a code could not be sent. */
export type RequestCodeFailure =
  | { ok: false; reason: 'invalid_email' }
  | { ok: false; reason: 'rate_limited' | 'cooldown' | 'mail_failed'; retryAfterSeconds: number }
/** `sent: false` when the same browser asked again for the same address within the cool-down: its code stands. */
export type RequestCodeResult = { ok: true; sent: boolean } | RequestCodeFailure
/** Outcome of checking a code; `attemptsLeft` accompanies `invalid`. */
export type VerifyCodeResult =
  | { ok: true; holderId: string; email: string }
  | { ok: false; reason: 'invalid'; attemptsLeft: number }
  | { ok: false; reason: 'expired' | 'too_many_attempts' }
  | { ok: false; reason: 'no_code' }

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

/** How many codes went out in the last hour to an address or from an IP, and how long until the oldest of them ages out. */
async function sentInLastHour(db: Executor, by: { email: string } | { ipHash: string }, now: Date) {
  const { n, oldest } = await countCodesSince(db, by, new Date(now.getTime() - HOUR_MS))
  return { n, retryAfterMs: oldest ? oldest.getTime() + HOUR_MS - now.getTime() : 0 }
}

/**
 * Emails a new 6-digit code for `email` to the browser session `sessionId`, or, for a browser
 * without one (`sessionId: null`), to the session `openSession` starts in the same transaction
 * once the code is sure to be sent: a request refused by the checks stores nothing, so the limits
 * below also bound how many sessions one address can start. Checks, counted in the database so
 * they hold across instances: a 60-second cool-down per address, at most 5 codes per address and
 * 20 per IP address an hour. Earlier codes of the session stop working. Only a keyed hash of the
 * code is stored; the mail is sent after commit; the log line names the outbox file, never the
 * code or the address.
 */
export async function requestSignInCode(
  deps: SignInDeps,
  input: {
    sessionId: string | null
    openSession?: (tx: Executor) => Promise<string>
    email: unknown
    ip: string
    locale: Locale
    log: FastifyBaseLogger
    resend?: boolean
    /** The display name of the partner whose credentials this sign-in is for (named in the mail); null when none. */
    issuer?: string | null
  },
): Promise<RequestCodeResult> {
  const email = normaliseEmail(input.email)
  if (!email) return { ok: false, reason: 'invalid_email' }
  const key = await signInKey(deps.db)
  const ipHash = hashIp(key, input.ip)
  const now = deps.clock.now()
  const id = randomUUID()
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0')

  const outcome = await deps.db.transaction(async (tx): Promise<RequestCodeResult> => {
    await lockSignInRequests(tx, email, ipHash)
    const latest = await findLatestCodeForEmail(tx, email)
    const sinceLatest = latest ? now.getTime() - latest.createdAt.getTime() : Infinity
    if (latest && sinceLatest < SIGN_IN_RULES.resendCooldownMs) {
      const stillLive =
        latest.sessionId === input.sessionId &&
        !latest.consumedAt &&
        latest.expiresAt > now &&
        latest.attempts < SIGN_IN_RULES.maxAttempts
      if (stillLive && !input.resend) return { ok: true, sent: false }
      return { ok: false, reason: 'cooldown', retryAfterSeconds: seconds(SIGN_IN_RULES.resendCooldownMs - sinceLatest) }
    }
    for (const [by, limit] of [
      [{ email }, SIGN_IN_RULES.perEmailPerHour],
      [{ ipHash }, SIGN_IN_RULES.perIpPerHour],
    ] as const) {
      const sent = await sentInLastHour(tx, by, now)
      if (sent.n >= limit) return { ok: false, reason: 'rate_limited', retryAfterSeconds: seconds(sent.retryAfterMs) }
    }
    let sessionId = input.sessionId
    if (sessionId) {
      await retireLiveCodes(tx, sessionId, now)
    } else {
      if (!input.openSession) throw new Error('requestSignInCode: a browser without a session needs openSession')
      sessionId = await input.openSession(tx)
    }
    await insertCode(tx, {
      id,
      sessionId,
      email,
      codeHash: hashCode(key, id, code).toString('hex'),
      ipHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SIGN_IN_RULES.codeTtlMs),
    })
    return { ok: true, sent: true }
  })
  if (!outcome.ok || !outcome.sent) return outcome

  try {
    const message = signInCodeMessage({
      to: email,
      code,
      locale: input.locale,
      validMinutes: SIGN_IN_RULES.codeTtlMs / 60_000,
      issuer: input.issuer,
    })
    const { location } = await deps.mailer.send(message)
    input.log.info({ mailer: deps.mailer.kind, location }, 'sign-in code sent')
    return outcome
  } catch (error) {
    // Transport errors may quote the recipient: log only their code. The undelivered code is
    // retired; it still counts for the limits, so a failing mail server cannot be hammered.
    input.log.error(
      { mailer: deps.mailer.kind, code: (error as { code?: unknown }).code ?? 'unknown' },
      'sign-in code mail failed',
    )
    await updateCode(deps.db, id, { expiresAt: now })
    return { ok: false, reason: 'mail_failed', retryAfterSeconds: seconds(SIGN_IN_RULES.resendCooldownMs) }
  }
}

/** Sends a new code to the address the session's last code went to (with the cool-down); `no_code` when there is none. */
export async function resendSignInCode(
  deps: SignInDeps,
  input: { sessionId: string; ip: string; locale: Locale; log: FastifyBaseLogger; issuer?: string | null },
): Promise<RequestCodeResult | { ok: false; reason: 'no_code' }> {
  const last = await findLastCodeOfSession(deps.db, input.sessionId)
  if (!last || last.consumedAt) return { ok: false, reason: 'no_code' }
  return requestSignInCode(deps, { ...input, email: last.email, resend: true })
}

/** The sign-in the session is in the middle of: where its last code went, and whether that code still works. */
export async function pendingSignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  sessionId: string,
): Promise<{ email: string; state: 'active' | 'expired' | 'too_many_attempts'; resendInSeconds: number } | null> {
  const last = await findLastCodeOfSession(deps.db, sessionId)
  if (!last || last.consumedAt) return null
  const now = deps.clock.now().getTime()
  const state =
    last.attempts >= SIGN_IN_RULES.maxAttempts
      ? 'too_many_attempts'
      : last.expiresAt.getTime() <= now
        ? 'expired'
        : 'active'
  const wait = last.createdAt.getTime() + SIGN_IN_RULES.resendCooldownMs - now
  return { email: last.email, state, resendInSeconds: wait > 0 ? seconds(wait) : 0 }
}

/**
 * Checks a code typed into the session's sign-in form against its last code, in constant time.
 * Every wrong try counts; the 5th burns the code. Success consumes it and signs the holder in:
 * the `holders` row for the address is created on first sign-in, `last_signed_in_at` updated.
 */
export async function verifySignInCode(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { sessionId: string; code: unknown },
): Promise<VerifyCodeResult> {
  const key = await signInKey(deps.db)
  const now = deps.clock.now()
  return deps.db.transaction(async (tx): Promise<VerifyCodeResult> => {
    // Locked: concurrent guesses are counted one after the other.
    const row = await findLastCodeOfSession(tx, input.sessionId, { lock: true })
    if (!row || row.consumedAt) return { ok: false, reason: 'no_code' }
    if (row.attempts >= SIGN_IN_RULES.maxAttempts) return { ok: false, reason: 'too_many_attempts' }
    if (row.expiresAt <= now) return { ok: false, reason: 'expired' }
    const typed = typeof input.code === 'string' ? input.code.replace(/[\s-]/g, '') : ''
    const matches =
      /^\d{6}$/.test(typed) && timingSafeEqual(hashCode(key, row.id, typed), Buffer.from(row.codeHash, 'hex'))
    if (!matches) {
      const attempts = row.attempts + 1
      await updateCode(tx, row.id, { attempts })
      const attemptsLeft = SIGN_IN_RULES.maxAttempts - attempts
      return attemptsLeft > 0
        ? { ok: false, reason: 'invalid', attemptsLeft }
        : { ok: false, reason: 'too_many_attempts' }
    }
    await updateCode(tx, row.id, { consumedAt: now })
    return { ok: true, holderId: await upsertHolder(tx, row.email, now), email: row.email }
  })
}
