import { Readable } from 'node:stream'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { receiveUpload, UploadReceiptSchema } from './receive-upload.js'
import { CONTENT_TYPES, UploadQuerySchema } from './upload-link.js'

const UploadParamsSchema = Type.Object({
  assetId: Type.String({ description: "Credport's id of the asset (from the upload link).", maxLength: 64 }),
})

/**
 * `PUT /api/partner/v2/uploads/{assetId}` — one asset's raw bytes through its signed upload link
 * (spec §6). No bearer token: the link's signature is the authorization. Registers its own
 * encapsulated scope, so its raw-body parser never reaches other routes.
 */
export async function assetRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (scope) => {
    // Every body reaches the handler as the raw stream, whatever its Content-Type: the link is
    // checked first (403), then the type (415) against the asset's declared one.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload))

    scope.withTypeProvider<TypeBoxTypeProvider>().put(
      '/api/partner/v2/uploads/:assetId',
      {
        // Only a buffered parser would enforce it; the stream is limited by the link's own `max`.
        bodyLimit: Math.max(deps.config.uploadMaxBytes, deps.config.bodyLimitBytes),
        // The link decides (expired or tampered: 403; its asset gone: 404; used, or its submission
        // finished: 409), then the bytes (415, 413), then the OpenCerts verifier's room (503).
        config: {
          rawBody: [...new Set(Object.values(CONTENT_TYPES))],
          problems: [
            'forbidden',
            'not_found',
            'conflict',
            'body_too_large',
            'unsupported_media_type',
            'service_unavailable',
          ],
        },
        schema: {
          tags: ['Documents'],
          summary: 'Upload one asset (raw bytes, through its signed link)',
          description:
            'PUT the raw bytes (not multipart) to the `url` of an `asset_uploads` entry, with the Content-Type of the declared type: `application/pdf`, `image/png`, `image/jpeg`, or `application/json` for OpenCerts. The link is single use and expires.',
          params: UploadParamsSchema,
          querystring: UploadQuerySchema,
          response: { 201: UploadReceiptSchema },
        },
      },
      async (request, reply) => {
        const { assetId } = request.params
        // No body schema: the bytes are streamed, never parsed. The body is what the parser above
        // passed on (the request stream), or nothing when no body was sent.
        const body = request.body instanceof Readable ? request.body : request.raw
        try {
          const receipt = await receiveUpload(deps, {
            assetId,
            query: request.query,
            contentType: request.headers['content-type'],
            contentLength: request.headers['content-length'],
            body,
          })
          return await reply.status(201).send(receipt)
        } catch (error) {
          // Refused part-way (or before reading): the rest of the body is unwanted, and may be
          // large. Close the connection once the answer is sent instead of reading it all to keep
          // the connection in step; until then, discard what arrives so the answer can go out.
          if (!body.readableEnded) {
            reply.header('connection', 'close')
            body.resume()
          }
          throw error
        }
      },
    )
  })
}
