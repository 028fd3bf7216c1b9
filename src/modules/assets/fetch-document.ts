import dns from 'node:dns'
import https from 'node:https'
import type { IncomingMessage } from 'node:http'
import net, { type LookupFunction } from 'node:net'
import type { Readable } from 'node:stream'
import tls from 'node:tls'
import { publicAddressesOnly, type AddressPolicy } from './address-policy.js'
import { DocumentRejectedError } from './document-meter.js'

/** Reasons a document URL is refused without retrying (spec §6), stored as the asset's reject reason. */
export type FetchRefusal =
  | 'scheme_not_allowed'
  | 'host_not_allowed'
  | 'private_address'
  | 'redirect_not_allowed'
  | 'too_large'
  | 'fetch_failed'

/** Resolves a host name to its addresses (all of them). */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>

/** How long one document fetch may take at most, redirects and body included, unless told otherwise. */
export const DEFAULT_FETCH_TIMEOUT_MS = 15_000

/** How documents are fetched; every member has a safe default, tests replace the network parts. */
export interface DocumentFetchOptions {
  /** Which resolved addresses may be connected to (default: public unicast only). */
  addressPolicy?: AddressPolicy
  /** DNS resolution (default: the system resolver, as `getaddrinfo`). */
  resolve?: Resolver
  /** Extra trusted certificate authorities (tests serve from a self-signed certificate). */
  ca?: string | Buffer
  /** Whole fetch, redirects and body included (default 15 s). */
  timeoutMs?: number
  /** Redirects followed, to the same host and port only (default 3). */
  maxRedirects?: number
}

export type FetchResult<T> =
  | { kind: 'done'; value: T }
  | { kind: 'refused'; reason: FetchRefusal; detail: string }
  /** Worth another attempt later: network error, timeout, 408/429/5xx. */
  | { kind: 'failed'; detail: string }

/** The system's resolver (getaddrinfo: /etc/hosts, then DNS), every address in the order it gives. */
export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true })

/** The host name of a URL in the form allow-lists use: lower case, no brackets, no trailing dot. */
export function normalizedHost(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
}

/** True when the partner allow-listed this host (exact host names, case-insensitive). */
export function hostAllowed(host: string, documentHosts: readonly string[]): boolean {
  return documentHosts.some((allowed) => allowed.toLowerCase().replace(/\.$/, '') === host)
}

/** A lookup that answers with the one address already checked: the connection cannot be re-resolved elsewhere. */
function pinnedLookup(address: string, family: number): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }])
    else callback(null, address, family)
  }) as unknown as LookupFunction
}

function get(
  url: URL,
  address: { address: string; family: number },
  options: DocumentFetchOptions,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, {
      agent: false,
      lookup: pinnedLookup(address.address, address.family),
      // `ca` replaces the default trust store: keep the public roots beside the extra one.
      ca: options.ca ? [...tls.rootCertificates, options.ca] : undefined,
      signal,
      headers: { 'user-agent': 'Credport-document-fetcher', accept: '*/*', 'accept-encoding': 'identity' },
    })
    request.once('response', resolve)
    request.once('error', reject)
  })
}

/**
 * Fetches a partner's document URL under the rules of spec §6 and hands the response body to
 * `consume` (which must read it to the end): https only, host on the partner's allow-list, every
 * resolved address allowed by the policy, the connection pinned to the checked address (no DNS
 * rebinding), redirects only to the same host and port, one deadline for everything, Content-Length checked
 * against `maxBytes` (the body itself is limited by `consume`).
 */
export async function fetchDocument<T>(
  rawUrl: string,
  documentHosts: readonly string[],
  maxBytes: number,
  options: DocumentFetchOptions,
  consume: (body: Readable) => Promise<T>,
): Promise<FetchResult<T>> {
  const policy = options.addressPolicy ?? publicAddressesOnly
  const resolve = options.resolve ?? systemResolver
  const maxRedirects = options.maxRedirects ?? 3
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS)

  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return { kind: 'refused', reason: 'scheme_not_allowed', detail: 'not an absolute URL' }
  }
  if (url.protocol !== 'https:')
    return { kind: 'refused', reason: 'scheme_not_allowed', detail: `${url.protocol} URLs are not fetched` }
  const host = normalizedHost(url)
  if (!hostAllowed(host, documentHosts))
    return { kind: 'refused', reason: 'host_not_allowed', detail: 'host not on the allow-list' }

  let addresses: Array<{ address: string; family: number }>
  try {
    addresses = net.isIP(host)
      ? [{ address: host, family: net.isIP(host) }]
      : await withDeadline(resolve(host), deadline)
  } catch (error) {
    return {
      kind: 'failed',
      detail: deadline.aborted ? 'timed out resolving the host' : `DNS resolution failed (${describe(error)})`,
    }
  }
  if (addresses.length === 0) return { kind: 'failed', detail: 'DNS resolution returned no address' }
  // One disallowed address refuses the host: any of them could be the one a client connects to.
  if (addresses.some((a) => !policy(a.address)))
    return { kind: 'refused', reason: 'private_address', detail: 'host resolves to a non-public address' }
  const pinned = addresses[0]!

  let response: IncomingMessage | undefined
  try {
    for (let redirects = 0; ; redirects++) {
      try {
        response = await get(url, pinned, options, deadline)
      } catch (error) {
        return { kind: 'failed', detail: deadline.aborted ? 'timed out' : `connection failed (${describe(error)})` }
      }
      const status = response.statusCode ?? 0
      if (status >= 300 && status < 400 && response.headers.location) {
        response.destroy()
        if (redirects >= maxRedirects)
          return { kind: 'refused', reason: 'fetch_failed', detail: `more than ${maxRedirects} redirects` }
        let next: URL
        try {
          next = new URL(response.headers.location, url)
        } catch {
          return { kind: 'refused', reason: 'fetch_failed', detail: 'redirect to an invalid URL' }
        }
        if (next.protocol !== 'https:')
          return { kind: 'refused', reason: 'scheme_not_allowed', detail: `redirect to a ${next.protocol} URL` }
        if (normalizedHost(next) !== host)
          return { kind: 'refused', reason: 'redirect_not_allowed', detail: 'redirect to another host' }
        // Another port of the same host is another service than the one the partner named.
        if (next.port !== url.port)
          return { kind: 'refused', reason: 'redirect_not_allowed', detail: 'redirect to another port' }
        url = next
        continue
      }
      if (status === 408 || status === 425 || status === 429 || status >= 500) {
        return { kind: 'failed', detail: `HTTP ${status}` }
      }
      if (status !== 200 && status !== 203) {
        return { kind: 'refused', reason: 'fetch_failed', detail: `HTTP ${status}` }
      }
      const length = Number(response.headers['content-length'])
      if (Number.isFinite(length) && length > maxBytes) {
        return { kind: 'refused', reason: 'too_large', detail: `Content-Length ${length} exceeds ${maxBytes}` }
      }
      const body = response
      try {
        return { kind: 'done', value: await consume(body) }
      } catch (error) {
        if (error instanceof DocumentRejectedError) throw error
        // The body broke off (reset, timeout): worth another attempt. Anything else is ours to report.
        if (deadline.aborted) return { kind: 'failed', detail: 'timed out' }
        if (!body.complete) return { kind: 'failed', detail: `download interrupted (${describe(error)})` }
        throw error
      }
    }
  } finally {
    response?.destroy()
  }
}

/** The promise, or a rejection once the deadline passes (getaddrinfo itself cannot be cancelled). */
function withDeadline<T>(promise: Promise<T>, deadline: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(deadline.reason)
    if (deadline.aborted) return onAbort()
    deadline.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => deadline.removeEventListener('abort', onAbort))
  })
}

function describe(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.name ?? 'error'
}
