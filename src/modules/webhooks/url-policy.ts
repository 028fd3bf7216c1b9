import net from 'node:net'
import type { ValidationIssue } from '../../lib/validation.js'
import { publicAddressesOnly, type Resolver, systemResolver } from '../assets/index.js'

/** The host of a URL as an address or name: lower case, no brackets, no trailing dot. */
export function hostOf(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
}

/** A host that is certainly not public: a non-public address literal, or `localhost`. */
export function isPrivateHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  return net.isIP(host) !== 0 && !publicAddressesOnly(host)
}

/**
 * The problems of an endpoint URL (spec §9 with the outbound rules of §6): `https` only, never a
 * private, loopback or link-local address. With `allowPrivate` (OUTBOUND_ALLOW_PRIVATE, development
 * only), private and loopback targets are allowed, and plain `http` to them. Names are resolved,
 * and their addresses checked, when the endpoint is saved (`resolvedAddressIssues`) and at each
 * delivery.
 */
export function endpointUrlIssues(raw: string, allowPrivate: boolean, pointer = '/url'): ValidationIssue[] {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return [{ pointer, message: 'must be an absolute URL' }]
  }
  if (url.username || url.password) return [{ pointer, message: 'must not carry a user name or password' }]
  const host = hostOf(url)
  const privateHost = isPrivateHost(host)
  if (url.protocol === 'http:') {
    if (!allowPrivate || !privateHost) return [{ pointer, message: 'must be an https URL' }]
  } else if (url.protocol !== 'https:') {
    return [{ pointer, message: 'must be an https URL' }]
  }
  if (privateHost && !allowPrivate)
    return [{ pointer, message: 'must not target a private, loopback or link-local address' }]
  return []
}

/** How long saving an endpoint waits for its name to resolve. */
const SAVE_LOOKUP_TIMEOUT_MS = 2_000

/**
 * The save-time lookup running now, if any. The system resolver (getaddrinfo, which reads
 * /etc/hosts as deliveries do) runs on libuv's thread pool, where at most two lookups run at
 * once, and a lookup cannot be cancelled: a partner saving names of a slow DNS server again and
 * again must not hold both and delay every other lookup of the server (deliveries, document
 * fetches, mail, the database's host). So one at a time; while it runs, others skip this check.
 */
let lookingUp = false

/**
 * The problem of an endpoint URL whose name resolves, now, to a private, loopback or link-local
 * address (none with `allowPrivate`). A name that does not resolve in time, or while another
 * save-time lookup runs, is accepted: deliveries resolve it again and refuse such addresses then
 * (the name may be set up after the endpoint). The answer does not name the address the name
 * resolved to, so as to tell partners as little as possible of the server's network.
 */
export async function resolvedAddressIssues(
  raw: string,
  allowPrivate: boolean,
  resolve: Resolver = systemResolver,
  pointer = '/url',
): Promise<ValidationIssue[]> {
  if (allowPrivate || lookingUp) return []
  const host = hostOf(new URL(raw))
  if (net.isIP(host) !== 0) return []
  lookingUp = true
  const lookup = resolve(host).finally(() => {
    lookingUp = false
  })
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(resolve, SAVE_LOOKUP_TIMEOUT_MS, null)
  })
  const addresses = await Promise.race([lookup, timeout])
    .catch(() => null)
    .finally(() => clearTimeout(timer))
  if (!addresses?.some(({ address }) => !publicAddressesOnly(address))) return []
  return [{ pointer, message: 'must not resolve to a private, loopback or link-local address' }]
}
