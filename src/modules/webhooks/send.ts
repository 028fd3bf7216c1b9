import http from 'node:http'
import https from 'node:https'
import net, { type LookupFunction } from 'node:net'
import { publicAddressesOnly, type Resolver, systemResolver } from '../assets/index.js'
import { hostOf } from './url-policy.js'

/** How long one webhook request may take, connection and answer included. */
export const WEBHOOK_TIMEOUT_MS = 10_000

export type { Resolver }

export interface SendOptions {
  /** OUTBOUND_ALLOW_PRIVATE: private and loopback addresses allowed, and plain http to them. */
  allowPrivate: boolean
  resolve?: Resolver
  timeoutMs?: number
}

export type SendResult =
  | { kind: 'answered'; status: number; retryAfter: string | null }
  /** No answer: refused before connecting (`private_address`, `scheme_not_allowed`), or the network failed. */
  | { kind: 'failed'; error: string }

/** A lookup answering with the one address already checked: the connection cannot be re-resolved elsewhere. */
function pinnedLookup(address: string, family: number): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }) as unknown as LookupFunction
}

/**
 * POSTs a webhook under the outbound rules of document fetching (spec §6): the host is resolved
 * and every address checked (public unicast only, unless `allowPrivate`; plain http only to
 * non-public addresses), the connection is pinned to the checked address, no redirect is
 * followed, one deadline covers everything. The answer's body is read and dropped.
 */
export async function sendWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs ?? WEBHOOK_TIMEOUT_MS)
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { kind: 'failed', error: 'invalid_url' }
  }
  const plain = url.protocol === 'http:'
  if (!plain && url.protocol !== 'https:') return { kind: 'failed', error: 'scheme_not_allowed' }
  if (plain && !options.allowPrivate) return { kind: 'failed', error: 'scheme_not_allowed' }
  const host = hostOf(url)
  let addresses: Array<{ address: string; family: number }>
  try {
    addresses = net.isIP(host)
      ? [{ address: host, family: net.isIP(host) }]
      : await (options.resolve ?? systemResolver)(host)
  } catch {
    return { kind: 'failed', error: 'dns_failed' }
  }
  if (addresses.length === 0) return { kind: 'failed', error: 'dns_failed' }
  const allowed = (address: string) =>
    plain ? !publicAddressesOnly(address) : options.allowPrivate || publicAddressesOnly(address)
  if (addresses.some((a) => !allowed(a.address)))
    return { kind: 'failed', error: plain ? 'scheme_not_allowed' : 'private_address' }
  const pinned = addresses[0]!
  return new Promise<SendResult>((resolve) => {
    const request = (plain ? http : https).request(url, {
      method: 'POST',
      agent: false,
      lookup: pinnedLookup(pinned.address, pinned.family),
      signal: deadline,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Credport-webhooks',
      },
    })
    request.once('response', (response) => {
      response.resume()
      response.once('end', () =>
        resolve({
          kind: 'answered',
          status: response.statusCode ?? 0,
          retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
        }),
      )
      response.once('error', () =>
        resolve({ kind: 'failed', error: deadline.aborted ? 'timeout' : 'connection_failed' }),
      )
    })
    request.once('error', () => resolve({ kind: 'failed', error: deadline.aborted ? 'timeout' : 'connection_failed' }))
    request.end(body)
  })
}
