import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

/** Default response headers: no sniffing, no framing, no referrers, and a CSP that allows nothing. Pages set their own CSP. */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id)
  reply.header('x-content-type-options', 'nosniff')
  reply.header('referrer-policy', 'no-referrer')
  // Documents framed by the holder's own pages set their own (SAMEORIGIN).
  if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY')
  if (!reply.hasHeader('content-security-policy')) {
    reply.header(
      'content-security-policy',
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    )
  }
  if (request.protocol === 'https' || request.headers['x-forwarded-proto'] === 'https') {
    reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains')
  }
}

/** Sets the default response headers on every answer (see applySecurityHeaders). */
export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (request, reply, payload) => {
    applySecurityHeaders(request, reply)
    return payload
  })
})
