import net from 'node:net'
import type { ValidationIssue } from '../../lib/validation.js'
import { publicAddressesOnly } from '../assets/index.js'

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
 * and their addresses checked, at each delivery.
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
