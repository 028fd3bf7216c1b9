import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { issueAccessToken } from './issue-token.js'

const TokenResponseSchema = Type.Object({
  access_token: Type.String({ description: 'Signed JWT to send as `Authorization: Bearer …`.' }),
  token_type: Type.Literal('Bearer', { description: 'Always `Bearer`.' }),
  expires_in: Type.Integer({ description: 'Seconds until the token expires.' }),
  scope: Type.String({ description: 'Space-separated scopes the token carries.' }),
  created_at: Type.Integer({ description: 'Unix time (seconds) the token was issued.' }),
})

const TokenRequestSchema = Type.Object(
  {
    grant_type: Type.String({ description: 'Must be `client_credentials`.' }),
    client_id: Type.Optional(Type.String({ description: 'Client id (or use HTTP Basic).' })),
    client_secret: Type.Optional(Type.String({ description: 'Client secret (or use HTTP Basic).' })),
    scope: Type.Optional(Type.String({ description: 'Space-separated scopes; omitted = every scope of the client.' })),
  },
  { description: 'Form-encoded (`application/x-www-form-urlencoded`) or JSON.' },
)

/** `POST /api/partner/v1/oauth/token.json` — OAuth 2.0 client credentials (spec §1). */
export async function oauthRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.post(
    '/api/partner/v1/oauth/token.json',
    {
      config: { oauthErrors: true },
      schema: {
        tags: ['OAuth'],
        summary: 'Get an access token (client credentials grant)',
        // Documented only: the handler validates by itself so that errors keep the OAuth format.
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema },
      },
      // The body schema above is for the OpenAPI document; validation is done by the handler.
      validatorCompiler: () => () => true,
    },
    async (request, reply) => {
      const body = await issueAccessToken(deps, { body: request.body, authorization: request.headers.authorization })
      return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send(body)
    },
  )
}
