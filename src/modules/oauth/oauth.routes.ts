import formbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { Deps } from '../../deps.js'
import { documentationOnlyValidator } from '../../lib/validation.js'
import { principalOf } from '../../plugins/partner-auth.js'
import { OAuthError } from '../../errors.js'
import { WindowLimiter } from '../../lib/window-limiter.js'
import { postAtEach } from '../../lib/route-paths.js'
import { issueAccessToken, TokenResponseSchema } from './issue-token.js'
import { ALL_SCOPES } from './scopes.js'

const TokenRequestSchema = Type.Object(
  {
    grant_type: Type.String({ description: 'Must be `client_credentials`.' }),
    client_id: Type.Optional(Type.String({ description: 'Client id (or use HTTP Basic).' })),
    client_secret: Type.Optional(Type.String({ description: 'Client secret (or use HTTP Basic).' })),
    scope: Type.Optional(Type.String({ description: 'Space-separated scopes; omitted = every scope of the client.' })),
  },
  { description: 'Form-encoded (`application/x-www-form-urlencoded`) or JSON.' },
)

/** The token endpoint (spec §1), and the same without `.json`, as a public documentation page prints it. */
export const TOKEN_PATHS = ['/api/partner/v1/oauth/token.json', '/api/partner/v1/oauth/token'] as const

/**
 * Failed client authentications one address may make per minute; beyond it, only client ids and
 * secrets this instance already verified get tokens from that address, anything else a 429.
 */
export const FAILED_AUTHENTICATIONS_PER_MINUTE = 30

const MeSchema = Type.Object({
  partner_id: Type.String({ description: 'Your partner id.' }),
  client_id: Type.String({ description: 'The client the token was issued to.' }),
  scopes: Type.Array(Type.String(), { description: 'Scopes this token carries (and the client still holds).' }),
})

/**
 * `POST /api/partner/v1/oauth/token.json` — OAuth 2.0 client credentials (spec §1) — and
 * `GET /api/partner/v1/me.json`, a Credport extension to check a token during integration.
 */
export async function oauthRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const failures = new WindowLimiter({ max: FAILED_AUTHENTICATIONS_PER_MINUTE, windowMs: 60_000, clock: deps.clock })
  // Forms are accepted here only: RFC 6749 token requests are form-encoded.
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  postAtEach(
    app,
    TOKEN_PATHS,
    {
      config: { oauthErrors: true },
      schema: {
        tags: ['OAuth'],
        summary: 'Get an access token (client credentials grant)',
        body: TokenRequestSchema,
        response: { 200: TokenResponseSchema },
      },
      // The handler validates by itself so that errors keep the OAuth format.
      validatorCompiler: documentationOnlyValidator,
    },
    async (request, reply) => {
      // Guessing secrets from one address is slowed down (each check costs a scrypt hash), without
      // locking out the good clients that share the address (a NAT): their known secrets cost none.
      const secretCheckWaitSeconds = failures.retryAfterSeconds(request.ip)
      try {
        const body = await issueAccessToken(deps, {
          body: request.body,
          authorization: request.headers.authorization,
          secretCheckWaitSeconds,
        })
        return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send(body)
      } catch (error) {
        if (error instanceof OAuthError && error.error === 'invalid_client') failures.count(request.ip)
        throw error
      }
    },
  )

  app.get(
    '/api/partner/v1/me.json',
    {
      config: { partnerAuth: { anyOf: [...ALL_SCOPES] } },
      schema: {
        tags: ['OAuth'],
        summary: 'Who am I: the partner, client and scopes of the access token',
        security: [{ partnerToken: [] }],
        response: { 200: MeSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      return { partner_id: principal.partnerId, client_id: principal.clientId, scopes: [...principal.scopes] }
    },
  )
}
