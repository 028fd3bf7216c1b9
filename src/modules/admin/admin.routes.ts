import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { safeEqual } from '../../lib/crypto.js'
import {
  ClientCredentialsSchema,
  ClientViewSchema,
  CreateClientBodySchema,
  CreatePartnerBodySchema,
  PartnerViewSchema,
  UpdatePartnerBodySchema,
} from './admin.schemas.js'
import { adminLogoRoutes, publicLogoRoutes } from './logo.routes.js'
import { DEFAULT_OVERLAP_DAYS, rotateSigningKey } from '../sharing/index.js'
import {
  createClientForPartner,
  createPartner,
  getPartner,
  listPartnersWithClients,
  revokeClient,
  rotateClientSecret,
  updatePartnerProfile,
} from './partners.service.js'

const PartnerParams = Type.Object({ partnerId: Type.String({ format: 'uuid', description: 'Partner id.' }) })
const ClientParams = Type.Object({ clientId: Type.String({ maxLength: 200, description: 'OAuth client id.' }) })
const tags = ['Admin']
const security = [{ adminToken: [] }]

/** The admin API (under the admin token) and the partners' public logos. */
export async function adminRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  await app.register(async (scope) => publicLogoRoutes(scope, deps))
  await app.register(async (scope) => adminApiRoutes(scope, deps))
}

/** Partner and client management for operators (used by the `credport` CLI). */
async function adminApiRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.addHook('onRequest', async (request) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')
    if (!match || !safeEqual(match[1]!, deps.adminToken)) {
      throw new AppError(
        'unauthorized',
        'Send the admin token as Authorization: Bearer <token>',
        {},
        {
          'www-authenticate': 'Bearer realm="credport-admin"',
        },
      )
    }
  })

  app.post<{ Body: Static<typeof CreatePartnerBodySchema> }>(
    '/api/admin/partners',
    {
      schema: {
        tags,
        security,
        summary: 'Register a partner and its first client',
        body: CreatePartnerBodySchema,
        response: { 201: ClientCredentialsSchema },
      },
    },
    async (request, reply) => {
      const body = request.body
      const created = await createPartner(deps, {
        name: body.name,
        displayName: body.display_name,
        supportContact: body.support_contact,
        scopes: body.scopes,
        documentHosts: body.document_hosts,
      })
      request.log.info({ partner_id: created.partner_id, client_id: created.client_id }, 'partner created')
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/api/admin/partners',
    {
      schema: {
        tags,
        security,
        summary: 'List partners and their clients',
        response: { 200: Type.Array(PartnerViewSchema) },
      },
    },
    async () => listPartnersWithClients(deps),
  )

  app.get<{ Params: Static<typeof PartnerParams> }>(
    '/api/admin/partners/:partnerId',
    {
      config: { problems: ['not_found'] },
      schema: {
        tags,
        security,
        summary: 'One partner and its clients',
        params: PartnerParams,
        response: { 200: PartnerViewSchema },
      },
    },
    async (request) => getPartner(deps, request.params.partnerId),
  )

  app.patch<{ Params: Static<typeof PartnerParams>; Body: Static<typeof UpdatePartnerBodySchema> }>(
    '/api/admin/partners/:partnerId',
    {
      config: { problems: ['not_found'] },
      schema: {
        tags,
        security,
        summary: 'Change what holders see of a partner',
        description: 'Its display name and support contact (`null` removes the contact). The logo has its own route.',
        params: PartnerParams,
        body: UpdatePartnerBodySchema,
        response: { 200: PartnerViewSchema },
      },
    },
    async (request) => {
      const { partnerId } = request.params
      const updated = await updatePartnerProfile(deps, partnerId, {
        displayName: request.body.display_name,
        supportContact: request.body.support_contact,
      })
      request.log.info({ partner_id: partnerId }, 'partner updated')
      return updated
    },
  )

  await app.register(async (scope) => adminLogoRoutes(scope, deps))

  // The body is optional: without one, the client gets the scopes the partner's clients hold.
  app.post<{ Params: Static<typeof PartnerParams>; Body: Static<typeof CreateClientBodySchema> | undefined }>(
    '/api/admin/partners/:partnerId/clients',
    {
      config: { problems: ['not_found'] },
      schema: {
        tags,
        security,
        summary: 'Add a client to a partner',
        params: PartnerParams,
        body: CreateClientBodySchema,
        response: { 201: ClientCredentialsSchema },
      },
    },
    async (request, reply) => {
      const { partnerId } = request.params
      const created = await createClientForPartner(deps, partnerId, request.body?.scopes)
      request.log.info({ partner_id: partnerId, client_id: created.client_id }, 'client created')
      return reply.status(201).send(created)
    },
  )

  app.post<{ Params: Static<typeof ClientParams> }>(
    '/api/admin/clients/:clientId/rotate-secret',
    {
      config: { problems: ['not_found', 'conflict'] },
      schema: {
        tags,
        security,
        summary: 'Replace a client secret',
        params: ClientParams,
        response: { 200: ClientCredentialsSchema },
      },
    },
    async (request) => {
      const rotated = await rotateClientSecret(deps, request.params.clientId)
      request.log.info({ client_id: rotated.client_id }, 'client secret rotated')
      return rotated
    },
  )

  app.post(
    '/api/admin/signing-keys/rotate',
    {
      schema: {
        tags,
        security,
        summary: 'Rotate the key that signs share links',
        description: `A new Ed25519 key signs share links' JSON from now on; the keys it replaces stop signing at once and stay published in /.well-known/jwks.json for ${DEFAULT_OVERLAP_DAYS} days.`,
        response: {
          200: Type.Object({
            kid: Type.String({ description: 'The new signing key.' }),
            retired: Type.Array(Type.String(), { description: 'The keys it replaces.' }),
            retires_at: Type.String({
              format: 'date-time',
              description: 'When the replaced keys stop being published.',
            }),
          }),
        },
      },
    },
    async (request) => {
      const rotated = await rotateSigningKey(deps.db, deps.clock.now())
      request.log.info({ kid: rotated.kid, retired: rotated.retired }, 'share signing key rotated')
      return { kid: rotated.kid, retired: rotated.retired, retires_at: rotated.retiresAt.toISOString() }
    },
  )

  app.post<{ Params: Static<typeof ClientParams> }>(
    '/api/admin/clients/:clientId/revoke',
    {
      config: { problems: ['not_found', 'conflict'] },
      schema: {
        tags,
        security,
        summary: 'Revoke a client and its tokens',
        params: ClientParams,
        response: { 200: ClientViewSchema },
      },
    },
    async (request) => {
      const revoked = await revokeClient(deps, request.params.clientId)
      request.log.info({ client_id: revoked.client_id }, 'client revoked')
      return revoked
    },
  )
}
