// The headers come from @fastify/helmet; this file only configures it, adds the request id and HSTS (over https only), and covers the router's own errors, which no hook sees.
import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * The default security headers (@fastify/helmet): a CSP that allows nothing (pages, documents and
 * the API docs set their own, which replaces it), no framing, no sniffing, no referrers, and helmet's inert extras (X-DNS-Prefetch-Control,
 * X-Download-Options, X-Permitted-Cross-Domain-Policies, Origin-Agent-Cluster, X-XSS-Protection: 0,
 * Cross-Origin-Resource-Policy: same-origin). Not annotated: helmet's ESM and CommonJS typings (the
 * latter seen through @fastify/helmet) are distinct types; a plain constant fits both.
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

/** The security headers for a response that no hook runs for (the router's own errors). */
const helmetHeaders = helmet(HELMET_OPTIONS)

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
  helmetHeaders(request.raw, reply.raw, (error) => {
    if (error) throw error
  })
  applyRequestHeaders(request, reply)
}

/** Sets the default security headers (helmet) and the request id on every answer, before any other hook runs. */
export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  await app.register(fastifyHelmet, HELMET_OPTIONS)
  app.addHook('onRequest', async (request, reply) => {
    applyRequestHeaders(request, reply)
  })
})
