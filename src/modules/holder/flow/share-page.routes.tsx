import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import { CONTENT_TYPES } from '../../assets/index.js'
import type { AssetType } from '../../credential-types/index.js'
import {
  findSharedDocument,
  JWS_MEDIA_TYPE,
  openShareLink,
  qrSvg,
  shareRateLimiter,
  signShareContent,
} from '../../sharing/index.js'
import { publicPageContext } from '../auth/index.js'
import { sendPage } from '../views/render.js'
import { ShareGonePage, SharePage } from '../views/share-page.js'

const PAGE = { schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 100 }) }) } }
const DOCUMENT = {
  schema: {
    hide: true,
    params: Type.Object({ token: Type.String({ maxLength: 100 }), assetId: Type.String({ maxLength: 100 }) }),
    querystring: Type.Object({ download: Type.Optional(Type.Unknown()) }),
  },
}
const EXTENSIONS: Record<AssetType, string> = { pdf: 'pdf', png: 'png', jpg: 'jpg', open_cert: 'opencert.json' }

/** True when the client asks for the signed form: `application/json`, `application/jose` or `application/jwt`. */
function wantsSigned(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase()
  return /application\/(json|jose|jwt)\b/.test(accept) && !/text\/html/.test(accept)
}

/** Share pages stay out of search engines, referrers and caches. */
function privateHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('x-robots-tag', 'noindex, nofollow')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'private, no-store')
    .header('vary', 'Accept')
}

/**
 * The public side of share links: `/s/{token}` (a page, or with `Accept: application/json` the
 * same content as a compact JWS) and the documents of links that include them. Expired, revoked
 * and unknown tokens answer the same 410. Every request counts against a per-IP limit.
 */
export async function sharePageRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const limiter = shareRateLimiter(deps.clock)
  app.addHook('onRequest', async (request, reply) => {
    const wait = limiter.retryAfterSeconds(request.ip)
    if (wait > 0) {
      privateHeaders(reply)
      throw new AppError(
        'rate_limited',
        `Too many share page requests; try again in ${wait} s`,
        {},
        {
          'retry-after': String(wait),
        },
      )
    }
    limiter.count(request.ip)
  })

  app.get('/s/:token', PAGE, async (request, reply) => {
    privateHeaders(reply)
    const { token } = request.params
    const content = await openShareLink(deps, token)
    const sharePath = `/s/${token}`
    if (wantsSigned(request)) {
      if (!content) throw new AppError('share_link_gone')
      const jws = await signShareContent(deps, content, `${deps.config.publicUrl}${sharePath}`)
      return reply.type(JWS_MEDIA_TYPE).send(jws)
    }
    const ctx = publicPageContext(request, sharePath)
    if (!content) return sendPage(privateHeaders(reply), ctx.nonce, <ShareGonePage ctx={ctx} />, 410)
    const qr = await qrSvg(`${deps.config.publicUrl}${sharePath}`)
    return sendPage(
      privateHeaders(reply),
      ctx.nonce,
      <SharePage
        ctx={ctx}
        content={content}
        sharePath={sharePath}
        jwksUrl={`${deps.config.publicUrl}/.well-known/jwks.json`}
        qr={qr}
        now={deps.clock.now()}
      />,
    )
  })

  // A document of a link that includes documents, with the same safe headers as the holder's own.
  app.get('/s/:token/documents/:assetId', DOCUMENT, async (request, reply) => {
    privateHeaders(reply)
    const { token, assetId } = request.params
    const asset = await findSharedDocument(deps, token, assetId)
    const stream = asset?.blobKey ? await deps.blobs.get(asset.blobKey) : null
    if (!asset || !stream) return reply.status(410).type('text/plain; charset=utf-8').send('Gone')
    const assetType = asset.assetType as AssetType
    const download = request.query.download === '1' || assetType === 'open_cert'
    const filename = `${asset.partnerAssetId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}.${EXTENSIONS[assetType]}`
    return reply
      .type(CONTENT_TYPES[assetType])
      .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${filename}"`)
      .header(
        'content-security-policy',
        "default-src 'none'; img-src 'self'; object-src 'self'; plugin-types application/pdf; sandbox; frame-ancestors 'none'",
      )
      .send(stream)
  })
}
