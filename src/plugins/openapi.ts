import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** `/openapi.json` generated from the route schemas, and browsable docs at `/docs`. */
export const openapiPlugin = fp(async (app: FastifyInstance, options: { publicUrl: string; version: string }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Credport partner API',
        version: options.version,
        description:
          'Submit credentials for a holder to review and add to their wallet. Wire-compatible with the "Add to SEEK Pass" partner API. Errors are RFC 9457 problem details; see `/problems/{code}`.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          partnerToken: {
            type: 'oauth2',
            flows: {
              clientCredentials: { tokenUrl: `${options.publicUrl}/api/partner/v1/oauth/token.json`, scopes: {} },
            },
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN or DATA_DIR/admin-token' },
        },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
})
