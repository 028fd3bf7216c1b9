import net from 'node:net'

/** Decides whether the document fetcher may connect to an IP address (after DNS resolution). */
export type AddressPolicy = (address: string) => boolean

type Range4 = readonly [base: string, prefix: number]

/** IPv4 ranges that are not the public internet (RFC 6890 special-purpose registry and friends). */
const BLOCKED_V4: readonly Range4[] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]

function v4ToNumber(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0)
}

function inRange4(value: number, [base, prefix]: Range4): boolean {
  const size = 2 ** (32 - prefix)
  const start = v4ToNumber(base)
  return value >= start && value < start + size
}

function isPublicV4(address: string): boolean {
  const value = v4ToNumber(address)
  return !BLOCKED_V4.some((range) => inRange4(value, range))
}

/** The eight 16-bit groups of an IPv6 address (zone id removed; embedded dotted IPv4 allowed). */
export function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase()
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const v4 = v4ToNumber(dotted[1]!)
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined]
  const left = head ? head.split(':') : []
  const right = tail ? tail.split(':') : []
  const missing = tail === undefined ? 0 : 8 - left.length - right.length
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16))
}

function embeddedV4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
}

function isPublicV6(address: string): boolean {
  const g = ipv6Groups(address)
  if (g.length !== 8 || g.some((x) => !Number.isInteger(x) || x < 0 || x > 0xffff)) return false
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number]
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  // ::/128 unspecified, ::1 loopback, ::a.b.c.d IPv4-compatible (deprecated): never public.
  if (zeroTo(6)) return false
  // ::ffff:a.b.c.d IPv4-mapped: judged as the IPv4 address it carries.
  if (zeroTo(5) && g5 === 0xffff) return isPublicV4(embeddedV4(g6, g7))
  // 64:ff9b::/96 NAT64 well-known prefix: judged as the IPv4 address it translates to.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return isPublicV4(embeddedV4(g6, g7))
  // Global unicast is 2000::/3; everything else (reserved ::/8, SIIT, local-use NAT64, discard-only
  // 100::/64, unique-local fc00::/7, link-local fe80::/10, site-local fec0::/10, multicast ff00::/8) is refused.
  if ((g0 & 0xe000) !== 0x2000) return false
  if (g0 === 0x2001 && g1 < 0x200) return false // 2001::/23 IETF assignments (Teredo, ORCHID, benchmarking)
  if (g0 === 0x2001 && g1 === 0xdb8) return false // documentation
  if (g0 === 0x3fff && g1 < 0x1000) return false // documentation 3fff::/20
  if (g0 === 0x2002) return isPublicV4(embeddedV4(g1, g2)) // 6to4: judged as the IPv4 address it tunnels to
  return true
}

/**
 * The real policy: only public unicast addresses. Refuses private, loopback, link-local,
 * unique-local, multicast, CGNAT, documentation, reserved and unspecified addresses, and IPv6
 * forms that carry such an IPv4 address (IPv4-mapped, NAT64, 6to4). Anything unparseable is refused.
 */
export const publicAddressesOnly: AddressPolicy = (address) => {
  const family = net.isIP(address.split('%')[0]!)
  if (family === 4) return isPublicV4(address)
  if (family === 6) return isPublicV6(address)
  return false
}
