import formbody from '@fastify/formbody'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify'
import { Type, type TSchema } from 'typebox'
import type { Deps } from '../../deps.js'
import { checkBody, issuesInOneLine } from '../../lib/validation.js'
import { principalOf } from '../../plugins/partner-auth.js'
import { OAuthError } from '../../errors.js'
import { issueAccessToken, TokenRequestSchema, TokenResponseSchema } from './issue-token.js'
import { ALL_SCOPES } from './scopes.js'

/**
 * The token endpoint's validator: its route schema, whose failures are answered the RFC 6749 way
 * (400 `invalid_request`, every problem named in `error_description`), not as problem details.
 */
const tokenRequestValidator: FastifySchemaCompiler<TSchema> =
  ({ schema }) =>
  (body: unknown) => {
    if (body === null || body === undefined) {
      return {
        error: new OAuthError('invalid_request', 'The request body is empty: send grant_type and client credentials'),
      }
    }
    const checked = checkBody(schema, body)
    if (checked.ok) return true
    return { error: new OAuthError('invalid_request', issuesInOneLine(checked.issues)) }
  }

/** The token endpoint (spec §1), and the same without `.json`, as a public documentation page prints it. */
export const TOKEN_PATHS = ['/api/partner/v1/oauth/token.json', '/api/partner/v1/oauth/token'] as const

/**
 * Failed client authentications one address may make per minute; beyond it, only client ids and
 * secrets this instance already verified get tokens from that address, anything else a 429. Counted
 * across all instances on one PostgreSQL.
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
export async function oauthRoutes(instance: FastifyInstance, deps: Deps): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>()
  // Shared by every instance on one PostgreSQL: a guesser spreading requests over instances gains nothing.
  const failures = deps.rateLimiter('token-failures', { max: FAILED_AUTHENTICATIONS_PER_MINUTE, windowMs: 60_000 })
  // Forms are accepted here only: RFC 6749 token requests are form-encoded.
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  // The path without `.json` answers exactly like the canonical one, hidden from the OpenAPI document.
  for (const [index, url] of TOKEN_PATHS.entries()) {
    app.post(
      url,
      {
        config: { oauthErrors: true },
        schema: {
          hide: index > 0,
          tags: ['OAuth'],
          summary: 'Get an access token (client credentials grant)',
          // RFC 6749 token requests are forms; JSON is taken too (spec §1).
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: TokenRequestSchema,
          response: { 200: TokenResponseSchema },
        },
        validatorCompiler: tokenRequestValidator,
      },
      async (request, reply) => {
        // Guessing secrets from one address is slowed down (each check costs a scrypt hash), without
        // locking out the good clients that share the address (a NAT): their known secrets cost none.
        const secretCheckWaitSeconds = await failures.retryAfterSeconds(request.ip)
        try {
          const body = await issueAccessToken(deps, {
            body: request.body,
            authorization: request.headers.authorization,
            secretCheckWaitSeconds,
          })
          return reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' }).send(body)
        } catch (error) {
          if (error instanceof OAuthError && error.error === 'invalid_client') await failures.count(request.ip)
          throw error
        }
      },
    )
  }

  app.get(
    '/api/partner/v1/me.json',
    {
      config: { partnerAuth: { anyOf: [...ALL_SCOPES] } },
      schema: {
        tags: ['OAuth'],
        summary: 'Who am I: the partner, client and scopes of the access token',
        response: { 200: MeSchema },
      },
    },
    async (request) => {
      const principal = principalOf(request)
      return { partner_id: principal.partnerId, client_id: principal.clientId, scopes: [...principal.scopes] }
    },
  )
}
