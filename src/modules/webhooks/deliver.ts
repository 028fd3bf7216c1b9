import type { Db } from '../../db/client.js'
import type { Clock } from '../../lib/clock.js'
import { claimDueDeliveries, recordAttempt, type AttemptRecord, type DeliveryClaim } from './deliveries.repo.js'
import { disableEndpoint } from './endpoints.repo.js'
import { signatureOf, type SecretBox } from './secrets.js'
import { sendWebhook, type Resolver, type SendResult } from './send.js'

/**
 * Wait before retry n (after attempt n failed), each with ±10 % jitter: 5 s, 5 min, 30 min, 2 h,
 * 5 h, 10 h, 10 h — 27 h 35 min 5 s in all (at least 24 h 49 min with the jitter), then the delivery
 * is `failed`. Eight attempts at most.
 */
export const RETRY_DELAYS_MS = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
] as const
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1
/** The jitter of each wait: ±10 %. */
export const RETRY_JITTER = 0.1
/** Longest `Retry-After` honoured. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000

/** What delivery needs. */
export interface DeliverDeps {
  db: Db
  clock: Clock
  secretBox: SecretBox
  config: { outboundAllowPrivate: boolean }
}

export interface DeliverOptions {
  limit: number
  /** How long a claim keeps other instances off a delivery (default 2 min: more than the 10 s timeout). */
  leaseMs?: number
  timeoutMs?: number
  resolve?: Resolver
  /** A number in [0, 1) for the jitter (default Math.random). */
  random?: () => number
}

/** The outcome of one attempt, for the job's log (no URL, no body). */
export interface AttemptOutcome {
  deliveryId: string
  attempt: number
  status: AttemptRecord['status']
  statusCode: number | null
  error: string | null
}

/** Delay before the next attempt after attempt `attempt` failed, with ±10 % jitter. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(attempt - 1, RETRY_DELAYS_MS.length - 1)]!
  return Math.round(base * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random()))
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`, or null. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (header === null) return null
  const text = header.trim()
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now.getTime()
  if (!Number.isFinite(ms)) return null
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
}

/** The signatures an endpoint's request carries: the current secret's, and during 24 h after a rotation the previous one's. */
function signaturesOf(deps: DeliverDeps, claim: DeliveryClaim, timestamp: number, body: string, now: Date): string {
  const { endpoint } = claim
  const secrets = [deps.secretBox.open(endpoint.secretCiphertext, endpoint.id)]
  if (endpoint.previousSecretCiphertext && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now)
    secrets.push(deps.secretBox.open(endpoint.previousSecretCiphertext, endpoint.id))
  return secrets.map((secret) => signatureOf(secret, claim.eventId, timestamp, body)).join(' ')
}

/**
 * deliver: one pass over due deliveries (at-least-once, after the commit of their events): claims
 * up to `limit`, sends them concurrently (signed per Standard Webhooks), and records each attempt.
 * 2xx: delivered. 410: failed, and the endpoint is disabled (a PUT with `enabled: true` re-enables
 * it). 429/503 with Retry-After: next attempt then. Anything else: retried on RETRY_DELAYS_MS.
 */
export async function deliverDue(deps: DeliverDeps, options: DeliverOptions): Promise<AttemptOutcome[]> {
  const claims = await claimDueDeliveries(deps.db, deps.clock.now(), options.limit, options.leaseMs ?? 120_000)
  if (claims.length === 0) return []
  const attempts = await Promise.all(claims.map((claim) => attempt(deps, claim, options)))
  // One transaction records the whole pass: one commit instead of one per attempt.
  const recorded = await deps.db.transaction(async (tx) => {
    const done: boolean[] = []
    for (const { claim, record, gone } of attempts) {
      const ok = await recordAttempt(tx, claim, record)
      if (ok && gone) await disableEndpoint(tx, claim.endpoint.id, 'gone', record.lastAttemptAt)
      done.push(ok)
    }
    return done
  })
  return attempts.map(({ claim, record }, i) => ({
    deliveryId: claim.id,
    attempt: claim.attempts,
    status: recorded[i] ? record.status : 'pending',
    statusCode: record.lastStatusCode,
    error: record.lastError,
  }))
}

/** Sends one claimed delivery and decides its outcome (recorded by the pass). */
async function attempt(
  deps: DeliverDeps,
  claim: DeliveryClaim,
  options: DeliverOptions,
): Promise<{ claim: DeliveryClaim; record: AttemptRecord; gone: boolean }> {
  const started = deps.clock.now()
  const startedMs = performance.now()
  const body = JSON.stringify(claim.payload)
  const timestamp = Math.floor(started.getTime() / 1000)
  let signatures: string | null = null
  try {
    signatures = signaturesOf(deps, claim, timestamp, body, started)
  } catch {
    // The secret does not decrypt (WEBHOOK_SECRET_KEY changed): recorded and retried like a failure.
  }
  const result: SendResult =
    signatures === null
      ? { kind: 'failed', error: 'secret_unreadable' }
      : await sendWebhook(
          claim.endpoint.url,
          { 'webhook-id': claim.eventId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures },
          body,
          { allowPrivate: deps.config.outboundAllowPrivate, resolve: options.resolve, timeoutMs: options.timeoutMs },
        )
  const now = deps.clock.now()
  const base = {
    lastAttemptAt: started,
    lastDurationMs: Math.round(performance.now() - startedMs),
    lastStatusCode: result.kind === 'answered' ? result.status : null,
    lastError: result.kind === 'failed' ? result.error : null,
  }
  const retry = (delayMs: number): AttemptRecord =>
    claim.attempts >= MAX_ATTEMPTS
      ? { ...base, status: 'failed', nextAttemptAt: null }
      : { ...base, status: 'pending', nextAttemptAt: new Date(now.getTime() + delayMs) }

  if (result.kind === 'answered' && result.status >= 200 && result.status < 300)
    return { claim, record: { ...base, status: 'delivered', nextAttemptAt: null }, gone: false }
  if (result.kind === 'answered' && result.status === 410)
    return { claim, record: { ...base, status: 'failed', nextAttemptAt: null }, gone: true }
  const waitMs =
    result.kind === 'answered' && (result.status === 429 || result.status === 503)
      ? retryAfterMs(result.retryAfter, now)
      : null
  return { claim, record: retry(waitMs ?? retryDelayMs(claim.attempts, options.random)), gone: false }
}
