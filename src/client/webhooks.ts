/**
 * Verification of Credport's webhook deliveries, per Standard Webhooks: `webhook-signature` holds
 * one or more space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with
 * the base64-decoded secret after `whsec_`. WebCrypto only, so it runs in any runtime.
 */

import { CredportError } from './errors.js'
import type { WebhookEvent } from './types.js'

/** Oldest (and furthest in the future) `webhook-timestamp` accepted, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60

export interface VerifyWebhookOptions {
  /** The current time (tests); default `Date.now()`. */
  now?: Date
  toleranceSeconds?: number
}

/** Why a delivery was refused (`CredportWebhookError.reason`). */
export type WebhookFailure = 'missing_headers' | 'bad_secret' | 'timestamp_out_of_range' | 'no_matching_signature'

/** A webhook delivery that did not verify; `reason` says why. */
export class CredportWebhookError extends CredportError {
  override name = 'CredportWebhookError'
  readonly reason: WebhookFailure
  constructor(reason: WebhookFailure, message: string) {
    super(message)
    this.reason = reason
  }
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined
  const record = headers as Record<string, string | string[] | undefined>
  const key = Object.keys(record).find((k) => k.toLowerCase() === name)
  const value = key === undefined ? undefined : record[key]
  return Array.isArray(value) ? value.join(' ') : value
}

function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** Equal strings, compared in time independent of where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Checks a webhook delivery: its `webhook-id`, `webhook-timestamp` (within 5 minutes of now) and
 * `webhook-signature` (any of its `v1,` signatures) against `secret` (`whsec_…`). `rawBody` must be
 * the bytes as received, before any JSON parsing. Resolves with the parsed event; rejects with a
 * `CredportWebhookError` saying why otherwise. The event is typed as Credport sends it (`WebhookEvent`,
 * told apart by `type`); the body is not checked against its schema, so read it as a receiver should:
 * ignore what you do not know.
 */
export async function verifyWebhook<T = WebhookEvent>(
  headers: HeaderSource,
  rawBody: string | Uint8Array,
  secret: string,
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !timestamp || !signatures) {
    throw new CredportWebhookError(
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    )
  }
  const seconds = Number(timestamp)
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000)
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > tolerance) {
    throw new CredportWebhookError('timestamp_out_of_range', 'webhook-timestamp is not within 5 minutes of now')
  }
  let key: Uint8Array<ArrayBuffer>
  try {
    key = base64ToBytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret)
  } catch {
    throw new CredportWebhookError('bad_secret', 'the secret is not whsec_ followed by base64')
  }
  const body = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody)
  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(`${id}.${timestamp}.${body}`))
  const expected = bytesToBase64(new Uint8Array(mac))
  const matches = signatures
    .split(' ')
    .filter(Boolean)
    .some((entry) => {
      const [version, signature] = entry.split(',', 2)
      return version === 'v1' && signature !== undefined && constantTimeEqual(signature, expected)
    })
  if (!matches) throw new CredportWebhookError('no_matching_signature', 'no webhook-signature matches the secret')
  return JSON.parse(body) as T
}
