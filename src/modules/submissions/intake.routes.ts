import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { documentationOnlyValidator } from '../../lib/validation.js'
import { principalOf, requireScopes } from '../../plugins/partner-auth.js'
import { credentialTypes } from '../credential-types/registry.js'
import type { CredentialTypeDefinition } from '../credential-types/types.js'
import { acceptSubmission } from './create-submission.js'
import type { SubmissionDraft } from './draft.js'
import {
  documentedBody,
  RedirectResponseSchema,
  V1BatchSchema,
  v2BatchSchema,
  V2ResponseSchema,
} from './intake.schemas.js'
import {
  parseV1Batch,
  parseV1Single,
  parseV2Batch,
  parseV2Single,
  scopesForV1Batch,
  scopesForV2Batch,
} from './parse-intake.js'
import { redirectUri, uploadLinks } from './present.js'

const security = [{ partnerToken: [] }]
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

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

/** Stores (or replays) a submission and answers 201 with its redirect link (and upload links on v2). */
async function accept(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  draft: SubmissionDraft,
  version: 'v1' | 'v2',
) {
  const principal = principalOf(request)
  const created = await acceptSubmission(deps, principal, draft, request.body, idempotencyKeyOf(request), request.log)
  const { submission } = created
  request.log.info(
    {
      request_id_of_submission: submission.id,
      partner_id: principal.partnerId,
      items: draft.items.length,
      replayed: created.replayed,
    },
    created.replayed ? 'submission replayed' : 'submission accepted',
  )
  reply.status(201)
  if (created.replayed) reply.header('idempotent-replayed', 'true')
  const redirect_uri = redirectUri(deps.config.publicUrl, submission)
  if (version === 'v1') return { redirect_uri }
  return { redirect_uri, asset_uploads: uploadLinks(deps.uploads, created.awaitingUpload) }
}

function singleRoute(
  app: FastifyInstance,
  deps: Deps,
  def: CredentialTypeDefinition,
  version: 'v1' | 'v2',
  url: string,
  hide: boolean,
) {
  app.post(
    url,
    {
      config: { partnerAuth: { allOf: [def.scope] } },
      validatorCompiler: documentationOnlyValidator,
      schema: {
        hide,
        tags: [version === 'v1' ? 'Add credentials (v1)' : 'Add credentials (v2)'],
        summary: `Add one ${def.title.toLowerCase()} credential (${def.name})`,
        security,
        body: documentedBody(def, version),
        response: { 201: version === 'v1' ? RedirectResponseSchema : V2ResponseSchema },
      },
    },
    async (request, reply) => {
      const draft = version === 'v1' ? parseV1Single(def, request.body) : parseV2Single(def, request.body)
      return accept(deps, request, reply, draft, version)
    },
  )
}

/** The intake endpoints of spec §2: v1 and v2 single adds per credential type, and both batches. */
export async function intakeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  for (const def of credentialTypes) {
    if (def.v1DocumentTypes) {
      singleRoute(app, deps, def, 'v1', `/api/partner/v1/add/${def.name}.json`, false)
    }
    singleRoute(app, deps, def, 'v2', `/api/partner/v2/add/requests/${def.name}.json`, false)
    singleRoute(app, deps, def, 'v2', `/api/partner/v2/add/requests/${def.name}`, true)
  }

  app.post(
    '/api/partner/v1/add/batch.json',
    {
      config: { partnerAuth: {} },
      validatorCompiler: documentationOnlyValidator,
      schema: {
        tags: ['Add credentials (v1)'],
        summary: 'Add several credentials (legacy v1 batch)',
        security,
        body: V1BatchSchema,
        response: { 201: RedirectResponseSchema },
      },
    },
    async (request, reply) => {
      requireScopes(principalOf(request), scopesForV1Batch(request.body))
      return accept(deps, request, reply, parseV1Batch(request.body, deps.config), 'v1')
    },
  )

  const v2Batch = async (request: FastifyRequest, reply: FastifyReply) => {
    requireScopes(principalOf(request), scopesForV2Batch(request.body))
    return accept(deps, request, reply, parseV2Batch(request.body, deps.config), 'v2')
  }
  const documentedBatch = v2BatchSchema(true)
  for (const [url, hide] of [
    ['/api/partner/v2/add/requests/batch.json', false],
    ['/api/partner/v2/add/requests/batch', true],
  ] as const) {
    app.post(
      url,
      {
        config: { partnerAuth: {} },
        validatorCompiler: documentationOnlyValidator,
        schema: {
          hide,
          tags: ['Add credentials (v2)'],
          summary: 'Add several credentials with documents uploaded afterwards (v2 batch)',
          security,
          body: documentedBatch,
          response: { 201: V2ResponseSchema },
        },
      },
      v2Batch,
    )
  }
}

/** Any other type in the path: a 404 that names the types that exist. */
export async function unknownTypeRoutes(app: FastifyInstance): Promise<void> {
  const known = (v1: boolean) =>
    credentialTypes
      .filter((t) => !v1 || t.v1DocumentTypes)
      .map((t) => t.name)
      .join(', ')
  for (const [url, v1] of [
    ['/api/partner/v1/add/:type', true],
    ['/api/partner/v2/add/requests/:type', false],
  ] as const) {
    app.post(url, { schema: { hide: true } }, async (request) => {
      const { type } = request.params as { type: string }
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
