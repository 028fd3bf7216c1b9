import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { ajvChecker, bodyValidator } from '../../lib/validation.js'
import { principalOf, requireScopes } from '../../plugins/partner-auth.js'
import { credentialTypes } from '../credential-types/index.js'
import { acceptSubmission } from './create-submission.js'
import type { SubmissionDraft } from './draft.js'
import { v1BatchDraft, v1SingleDraft, v2BatchDraft, v2SingleDraft } from './intake-drafts.js'
import {
  V1BatchSchema,
  v1BatchRules,
  v1SingleRules,
  v1SingleSchema,
  V2BatchSchema,
  v2BatchRules,
  v2ItemSchema,
  v2SingleRules,
} from '../intake-bodies/index.js'
import { checkV1BatchSize, checkV2BatchSize, scopesForV1Batch, scopesForV2Batch } from './intake-limits.js'
import { RedirectResponseSchema, V2ResponseSchema } from './intake.responses.js'
import { redirectUri, uploadLinks } from './present.js'

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/**
 * What an add answers besides what its configuration implies: the id (or Idempotency-Key) in use
 * with another body, a malformed Idempotency-Key, and the OpenCerts verifier too busy to take
 * another document (503 with Retry-After).
 */
const SINGLE_ADD_PROBLEMS = ['id_conflict', 'invalid_parameter', 'service_unavailable'] as const
/** A batch's scopes depend on its body (checked before it is validated), and its size is bounded. */
const BATCH_CONFIG = {
  partnerAuth: { fromBody: 'the write.* scope of every credential type the batch contains' },
  problems: [...SINGLE_ADD_PROBLEMS, 'batch_too_large'] as const,
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key']
  if (header === undefined) return undefined
  const key = Array.isArray(header) ? header[0]! : header
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new AppError('invalid_parameter', 'The Idempotency-Key header must be 1 to 255 visible ASCII characters', {
      errors: [
        {
          pointer: '',
          in: 'header',
          parameter: 'Idempotency-Key',
          message: 'must be 1 to 255 visible ASCII characters',
        },
      ],
    })
  }
  return key
}

/** Stores (or replays) a submission; the answer is 201 (with its redirect link: `v1Answer`, `v2Answer`). */
async function accept(deps: Deps, request: FastifyRequest, reply: FastifyReply, draft: SubmissionDraft) {
  const principal = principalOf(request)
  const created = await acceptSubmission(deps, principal, draft, request.body, idempotencyKeyOf(request), request.log)
  request.log.info(
    {
      request_id_of_submission: created.submission.id,
      partner_id: principal.partnerId,
      items: draft.items.length,
      replayed: created.replayed,
    },
    created.replayed ? 'submission replayed' : 'submission accepted',
  )
  reply.status(201)
  if (created.replayed) reply.header('idempotent-replayed', 'true')
  return created
}

type Created = Awaited<ReturnType<typeof accept>>
const v1Answer = (deps: Deps, created: Created) => ({
  redirect_uri: redirectUri(deps.config.publicUrl, created.submission),
})
const v2Answer = async (deps: Deps, created: Created) => ({
  ...v1Answer(deps, created),
  asset_uploads: await uploadLinks(deps.uploads, created.awaitingUpload),
})

/**
 * The intake endpoints of spec §2: v1 and v2 single adds per credential type, and both batches.
 * Each body is validated once, before the handler: by the route's schema (the one in the OpenAPI
 * document), then by its rules (intake-bodies/intake-rules.ts), every problem in one 400; the handler gets it
 * typed by that schema and turns it into a draft. A batch's scopes and size, which depend on the
 * body, are checked first (`preValidation`), so no oversized batch is ever walked in full.
 */
export async function intakeRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  for (const def of credentialTypes) {
    const v1Tags = ['Add credentials (v1)']
    const v2Tags = ['Add credentials (v2)']
    const title = def.title.toLowerCase()
    const summary = `Add one ${title.endsWith('credential') ? title : `${title} credential`} (${def.name})`
    const config = { partnerAuth: { allOf: [def.scope] }, problems: SINGLE_ADD_PROBLEMS }
    if (def.v1DocumentTypes) {
      app.post(
        `/api/partner/v1/add/${def.name}.json`,
        {
          config,
          validatorCompiler: bodyValidator(v1SingleRules(def)),
          schema: {
            tags: v1Tags,
            summary,
            body: v1SingleSchema(def.fields),
            response: { 201: RedirectResponseSchema },
          },
        },
        async (request, reply) => v1Answer(deps, await accept(deps, request, reply, v1SingleDraft(def, request.body))),
      )
    }
    const v2Body = v2ItemSchema(def.fields)
    const v2Validator = bodyValidator(v2SingleRules(def))
    for (const [url, hide] of [
      [`/api/partner/v2/add/requests/${def.name}.json`, false],
      [`/api/partner/v2/add/requests/${def.name}`, true],
    ] as const) {
      app.post(
        url,
        {
          config,
          validatorCompiler: v2Validator,
          schema: { hide, tags: v2Tags, summary, body: v2Body, response: { 201: V2ResponseSchema } },
        },
        async (request, reply) => v2Answer(deps, await accept(deps, request, reply, v2SingleDraft(def, request.body))),
      )
    }
  }

  app.post(
    '/api/partner/v1/add/batch.json',
    {
      config: BATCH_CONFIG,
      preValidation: async (request) => {
        requireScopes(principalOf(request), scopesForV1Batch(request.body))
        checkV1BatchSize(request.body, deps.config)
      },
      validatorCompiler: bodyValidator(v1BatchRules(ajvChecker)),
      schema: {
        tags: ['Add credentials (v1)'],
        summary: 'Add several credentials (legacy v1 batch)',
        body: V1BatchSchema,
        response: { 201: RedirectResponseSchema },
      },
    },
    async (request, reply) => v1Answer(deps, await accept(deps, request, reply, v1BatchDraft(request.body))),
  )

  const v2BatchValidator = bodyValidator(v2BatchRules)
  for (const [url, hide] of [
    ['/api/partner/v2/add/requests/batch.json', false],
    ['/api/partner/v2/add/requests/batch', true],
  ] as const) {
    app.post(
      url,
      {
        config: BATCH_CONFIG,
        preValidation: async (request) => {
          requireScopes(principalOf(request), scopesForV2Batch(request.body))
          checkV2BatchSize(request.body, deps.config)
        },
        validatorCompiler: v2BatchValidator,
        schema: {
          hide,
          tags: ['Add credentials (v2)'],
          summary: 'Add several credentials with documents uploaded afterwards (v2 batch)',
          body: V2BatchSchema,
          response: { 201: V2ResponseSchema },
        },
      },
      async (request, reply) => v2Answer(deps, await accept(deps, request, reply, v2BatchDraft(request.body))),
    )
  }
}

/** Any other type in the path: a 404 that names the types that exist. */
export async function unknownTypeRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  const known = (v1: boolean) =>
    credentialTypes
      .filter((t) => !v1 || t.v1DocumentTypes)
      .map((t) => t.name)
      .join(', ')
  // The v2 parameter is named `id` as in `DELETE /api/partner/v2/add/requests/:id` (withdrawal):
  // the router keeps one parameter name per path segment, whatever the method.
  for (const [url, v1] of [
    ['/api/partner/v1/add/:id', true],
    ['/api/partner/v2/add/requests/:id', false],
  ] as const) {
    app.post(url, { schema: { hide: true, params: Type.Object({ id: Type.String() }) } }, async (request) => {
      const type = request.params.id
      if (v1 && credentialTypes.some((t) => t.name === type && t.v1DocumentTypes)) {
        throw new AppError('not_found', `v1 paths end in .json: POST /api/partner/v1/add/${type}.json`)
      }
      throw new AppError(
        'not_found',
        `Unknown credential type ${JSON.stringify(type.replace(/\.json$/, ''))} on ${v1 ? 'v1' : 'v2'}; known types: ${known(v1)}`,
      )
    })
  }
}
