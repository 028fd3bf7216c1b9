import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.js'
import type { Clock } from '../lib/clock.js'
import type { RateLimiter } from '../lib/window-limiter.js'
import type { AccessTokenSigner } from '../modules/oauth/index.js'
import type { ClientDirectory } from '../modules/oauth/index.js'
import { missingScopes } from '../modules/oauth/index.js'

/** Who is calling a partner route, established from the bearer token. */
export interface PartnerPrincipal {
  partnerId: string
  clientId: string
  /** Scopes of the token, limited to those the client still holds. */
  scopes: ReadonlySet<string>
}

/** Declared on each partner route: `allOf` scopes are all needed; of `anyOf`, one is enough. */
export interface PartnerAuthRequirement {
  allOf?: string[]
  anyOf?: string[]
  /**
   * The scopes the request decides — a batch's body, the credentials of the submission or credential
   * it names — which the route checks once it has them: said in the API documentation.
   */
  fromBody?: string
}

declare module 'fastify' {
  interface FastifyContextConfig {
    partnerAuth?: PartnerAuthRequirement
  }
  interface FastifyRequest {
    partner: PartnerPrincipal | null
  }
}

const CHALLENGE = 'Bearer realm="credport"'

function unauthorized(detail: string, tokenPresent: boolean): AppError {
  const header = tokenPresent ? `${CHALLENGE}, error="invalid_token", error_description="${detail}"` : CHALLENGE
  return new AppError('unauthorized', detail, {}, { 'www-authenticate': header })
}

/** A 403 naming the scopes the token lacks (spec §1). */
export function insufficientScope(
  missing: string[],
  detail = `This request needs the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
): AppError {
  return new AppError(
    'insufficient_scope',
    detail,
    { missing_scopes: missing },
    { 'www-authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${missing.join(' ')}"` },
  )
}

/** Throws 403 unless the principal holds every scope in `needed`. */
export function requireScopes(principal: PartnerPrincipal, needed: readonly string[]): void {
  const missing = missingScopes(principal.scopes, needed)
  if (missing.length > 0) throw insufficientScope(missing)
}

export interface PartnerAuthOptions {
  tokens: AccessTokenSigner
  clients: ClientDirectory
  clock: Clock
  /** Requests per minute per client (PARTNER_RATE_LIMIT); 0: no limit. */
  rateLimitPerMinute: number
  /** Counts each client's requests against that limit (shared by every instance on PostgreSQL). */
  limiter: RateLimiter | null
}

/**
 * Authenticates every route that declares `config.partnerAuth`, holds each client to its
 * request rate (429 with Retry-After beyond it), then checks the route's scopes. All of it runs
 * before the body is read.
 */
export const partnerAuthPlugin = fp(async (app: FastifyInstance, deps: PartnerAuthOptions) => {
  const limiter = deps.rateLimitPerMinute > 0 ? deps.limiter : null
  app.decorateRequest('partner', null)
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const requirement = request.routeOptions.config?.partnerAuth
    if (!requirement) return
    const header = request.headers.authorization
    if (!header) throw unauthorized('Send an access token as Authorization: Bearer <token>', false)
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header)
    if (!match) throw unauthorized('The Authorization header is not a Bearer token', true)

    const claims = await deps.tokens.verify(match[1]!)
    if ('invalid' in claims) {
      throw unauthorized(
        claims.invalid === 'expired' ? 'The access token has expired' : 'The access token is invalid',
        true,
      )
    }
    const client = await deps.clients.lookup(claims.clientId)
    if (!client) throw unauthorized('The access token was issued to a client that is no longer active', true)

    // A scope removed from the client since the token was issued no longer counts.
    const scopes = new Set(claims.scopes.filter((s) => client.scopes.includes(s)))
    request.partner = { partnerId: client.partnerId, clientId: client.clientId, scopes }

    if (limiter) {
      const wait = await limiter.take(client.clientId)
      if (wait > 0) {
        throw new AppError(
          'rate_limited',
          `This client reached its limit of ${deps.rateLimitPerMinute} requests a minute; try again in ${wait} s`,
          { limit_per_minute: deps.rateLimitPerMinute },
          { 'retry-after': String(wait) },
        )
      }
    }

    if (requirement.allOf) requireScopes(request.partner, requirement.allOf)
    if (requirement.anyOf && !requirement.anyOf.some((s) => scopes.has(s))) {
      throw insufficientScope(requirement.anyOf, `This request needs one of the scopes ${requirement.anyOf.join(', ')}`)
    }
  })
})

/** The authenticated principal of a partner route (its config must declare `partnerAuth`). */
export function principalOf(request: FastifyRequest): PartnerPrincipal {
  if (!request.partner) throw new Error(`route ${request.routeOptions.url} has no partnerAuth config`)
  return request.partner
}
