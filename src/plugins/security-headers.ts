// The header values come from helmet, computed once at start-up; this file configures it, sets them with the request id
// and HSTS (over https only) on every answer, and covers the router's own errors, which no hook sees.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * The default security headers (helmet): a CSP that allows nothing (pages, documents and
 * the API docs set their own, which replaces it), no framing, no sniffing, no referrers, and helmet's inert extras (X-DNS-Prefetch-Control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies, Origin-Agent-Cluster, X-XSS-Protection: 0,
 * Cross-Origin-Resource-Policy: same-origin).
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
    },
  },
  xFrameOptions: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // Not helmet's: a partner may open the holder link in a window it watches (`closed`), which
  // Cross-Origin-Opener-Policy: same-origin would cut off.
  crossOriginOpenerPolicy: false,
  // Sent over https only (RFC 6797 §7.2), below.
  strictTransportSecurity: false,
} as const

const HSTS = 'max-age=31536000; includeSubDomains'

interface HeaderTarget {
  setHeader(name: string, value: string): unknown
  removeHeader(name: string): unknown
}

/**
 * What helmet does to a response with these options: the headers it sets and the ones it removes.
 * They depend on the options only (no nonce, nothing from the request), so helmet runs once, on a
 * recorder, instead of building its middleware list again for every request as @fastify/helmet does.
 */
function recordHelmet(): { set: Array<[string, string]>; removed: string[] } {
  const set: Array<[string, string]> = []
  const removed: string[] = []
  const recorder: HeaderTarget = {
    setHeader: (name, value) => set.push([name, String(value)]),
    removeHeader: (name) => removed.push(name),
  }
  helmet(HELMET_OPTIONS)(
    {} as Parameters<ReturnType<typeof helmet>>[0],
    recorder as unknown as Parameters<ReturnType<typeof helmet>>[1],
    (error?: unknown) => {
      if (error) throw error
    },
  )
  if (set.length === 0) throw new Error('helmet set no header')
  return { set, removed }
}

const HELMET_HEADERS = recordHelmet()

/** The default security headers as `Name: value` lines, for an answer written straight to a socket. */
export function securityHeaderLines(): string[] {
  return HELMET_HEADERS.set.map(([name, value]) => `${name}: ${value}`)
}

function applyHelmetHeaders(response: HeaderTarget): void {
  for (const name of HELMET_HEADERS.removed) response.removeHeader(name)
  for (const [name, value] of HELMET_HEADERS.set) response.setHeader(name, value)
}

function applyRequestHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id)
  if (request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https') {
    reply.header('strict-transport-security', HSTS)
  }
}

/**
 * Sets the default response headers on an answer made outside the request lifecycle (the
 * `frameworkErrors` handler): what `securityHeadersPlugin` sets on every other one.
 */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  applyHelmetHeaders(reply.raw)
  applyRequestHeaders(request, reply)
}

/** Sets the default security headers (helmet's) and the request id on every answer, before any other hook runs. */
export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(request, reply)
    done()
  })
})
