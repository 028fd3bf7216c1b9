import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { isUuid } from '../../lib/ids.js'
import { LOGO_CONTENT_TYPES, LOGO_MAX_BYTES, LogoReceiptSchema } from './admin.schemas.js'
import { removeLogo, uploadLogo } from './partner-logo.js'
import { findLogo } from './partners.repo.js'

const PartnerParams = Type.Object({ partnerId: Type.String({ format: 'uuid', description: 'Partner id.' }) })

/**
 * A logo is served for `<img>` only: never sniffed, never a document that runs anything (`sandbox`,
 * nothing may load), not framed. Inline styles stay allowed so that an SVG opened on its own still
 * draws as it does in an `<img>`.
 */
export const LOGO_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'public, max-age=300'

/** `PUT` and `DELETE /api/admin/partners/{partnerId}/logo`: under the admin token of the scope they are registered in. */
export async function adminLogoRoutes(scope: FastifyInstance, deps: Deps): Promise<void> {
  // The logo's raw bytes, whatever the Content-Type: the handler says which types it takes (415).
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: LOGO_MAX_BYTES }, (_request, body, done) =>
    done(null, body),
  )
  const app = scope.withTypeProvider<TypeBoxTypeProvider>()
  const tags = ['Admin']
  const security = [{ adminToken: [] }]

  app.put(
    '/api/admin/partners/:partnerId/logo',
    {
      bodyLimit: LOGO_MAX_BYTES,
      config: {
        rawBody: LOGO_CONTENT_TYPES,
        problems: ['not_found', 'body_too_large', 'unsupported_media_type'],
      },
      schema: {
        tags,
        security,
        summary: 'Upload or replace a partner’s logo',
        description: `The raw bytes of a PNG or an SVG (not multipart), at most ${LOGO_MAX_BYTES / 1024} KB, with Content-Type \`image/png\` or \`image/svg+xml\`. A PNG must be one (its bytes are checked); an SVG is sanitised: scripts, event handlers, foreignObject, styles, external references and anything not on the allow-list are removed (\`removed\` lists them), and a DOCTYPE with declarations or a document that is not well-formed SVG is refused (415). Holders see the logo beside the display name.`,
        params: PartnerParams,
        response: { 200: LogoReceiptSchema },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body))
        throw new AppError('unsupported_media_type', 'Send the logo’s bytes as image/png or image/svg+xml')
      const receipt = await uploadLogo(deps, request.params.partnerId, request.headers['content-type'], request.body)
      request.log.info(
        { partner_id: receipt.partner_id, content_type: receipt.logo.content_type, bytes: receipt.logo.bytes },
        'partner logo uploaded',
      )
      return receipt
    },
  )

  app.delete(
    '/api/admin/partners/:partnerId/logo',
    {
      config: { problems: ['not_found'] },
      schema: {
        tags,
        security,
        summary: 'Remove a partner’s logo',
        params: PartnerParams,
        response: { 204: Type.Null({ description: 'Removed.' }) },
      },
    },
    async (request, reply) => {
      await removeLogo(deps, request.params.partnerId)
      request.log.info({ partner_id: request.params.partnerId }, 'partner logo removed')
      return reply.code(204).send(null)
    },
  )
}

/** `GET /issuers/{partnerId}/logo`: a partner's logo for the holder pages, public (no personal data). */
export async function publicLogoRoutes(scope: FastifyInstance, deps: Deps): Promise<void> {
  scope.withTypeProvider<TypeBoxTypeProvider>().get(
    '/issuers/:partnerId/logo',
    {
      schema: {
        hide: true,
        params: Type.Object({ partnerId: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ v: Type.Optional(Type.Unknown()) }),
      },
    },
    async (request, reply) => {
      const { partnerId } = request.params
      const logo = isUuid(partnerId) ? await findLogo(deps.db, partnerId) : undefined
      if (!logo)
        return reply.status(404).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found')
      const etag = `"${logo.sha256}"`
      const current = request.query.v === logo.sha256.slice(0, 16)
      reply
        .header('etag', etag)
        .header('cache-control', current ? IMMUTABLE : REVALIDATE)
        .header('content-security-policy', LOGO_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'same-origin')
        .header('content-disposition', `inline; filename="logo.${logo.contentType === 'image/png' ? 'png' : 'svg'}"`)
      if (request.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag))
        return reply.status(304).send()
      return reply.type(logo.contentType).send(logo.bytes)
    },
  )
}
