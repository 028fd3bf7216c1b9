import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { principalOf } from '../../plugins/partner-auth.js'
import { ALL_SCOPES } from '../oauth/index.js'
import { getStatus, getStatuses } from './status.js'
import { BulkStatusBodySchema, BulkStatusResponseSchema, StatusSchema } from './status.schemas.js'

/** Reading a submission's status needs `read.submissions` or any `write.*` scope (spec §1). */
const partnerAuth = { anyOf: [...ALL_SCOPES] }

/** Status of one submission (GET) and of up to 30 (POST), spec §8. */
export async function statusRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/api/partner/v1/submissions/:id/status.json',
    {
      config: { partnerAuth, problems: ['not_found'] },
      schema: {
        tags: ['Status'],
        summary: 'Status of one submission',
        params: Type.Object({
          id: Type.String({
            minLength: 1,
            maxLength: 255,
            description: 'Your id of the submission (or of a credential in it).',
          }),
        }),
        response: { 200: StatusSchema },
      },
    },
    async (request) => getStatus(deps, principalOf(request).partnerId, request.params.id),
  )

  app.post(
    '/api/partner/v1/submissions/status.json',
    {
      config: { partnerAuth },
      schema: {
        tags: ['Status'],
        summary: 'Status of up to 30 submissions',
        body: BulkStatusBodySchema,
        response: { 200: BulkStatusResponseSchema },
      },
    },
    async (request) => {
      const { ids } = request.body
      const statuses = await getStatuses(deps, principalOf(request).partnerId, ids)
      return {
        credentials: statuses.map(
          (status, i) => status ?? { id: ids[i]!, status: 'not_found' as const, finalized_at: null },
        ),
      }
    },
  )
}
