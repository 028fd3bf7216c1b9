import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../../deps.js'
import { CONTENT_TYPES } from '../../assets/index.js'
import type { AssetType } from '../../credential-types/index.js'
import { requireSignedIn } from '../auth/index.js'
import { findHolderDocument } from '../../submissions/index.js'

const EXTENSIONS: Record<AssetType, string> = { pdf: 'pdf', png: 'png', jpg: 'jpg', open_cert: 'opencert.json' }

const DOCUMENT = {
  hide: true,
  params: Type.Object({ assetId: Type.String() }),
  // Anything is accepted (a page answers, never a 400 problem): only `download=1` means something.
  querystring: Type.Object({ download: Type.Optional(Type.Unknown()) }),
}

/**
 * A document of one of the holder's submissions: inline (a PDF opened in a tab of its own from
 * the document card, an image shown by the review and wallet pages) or as a download. Anyone
 * else gets a 404.
 */
export async function documentRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app
    .withTypeProvider<TypeBoxTypeProvider>()
    .get('/holder/documents/:assetId', { schema: DOCUMENT }, async (request, reply) => {
      if (!requireSignedIn(request, reply)) return reply
      const { assetId } = request.params
      const asset = await findHolderDocument(deps.db, request.holder.holder!.id, assetId, deps.clock.now())
      const stream = asset?.blobKey ? await deps.blobs.get(asset.blobKey) : null
      if (!asset || !stream) return reply.status(404).type('text/plain; charset=utf-8').send('Not found')
      const assetType = asset.assetType as AssetType
      const download = request.query.download === '1' || assetType === 'open_cert'
      const filename = `${asset.partnerAssetId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}.${EXTENSIONS[assetType]}`
      return (
        reply
          .type(CONTENT_TYPES[assetType])
          .header('content-disposition', `${download ? 'attachment' : 'inline'}; filename="${filename}"`)
          .header('cache-control', 'private, no-store')
          // Shown in a tab of its own, never framed (helmet's X-Frame-Options: DENY stays); a document
          // never runs script or loads anything.
          .header(
            'content-security-policy',
            "default-src 'none'; img-src 'self'; object-src 'self'; plugin-types application/pdf; sandbox; frame-ancestors 'none'",
          )
          .send(stream)
      )
    })
}
