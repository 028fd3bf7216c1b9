import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.js'
import type { AccessTokenSigner } from '../modules/oauth/access-token.js'
import type { ClientDirectory } from '../modules/oauth/client-directory.js'
import { missingScopes } from '../modules/oauth/scopes.js'

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
export function insufficientScope(missing: string[]): AppError {
  return new AppError(
    'insufficient_scope',
    `This request needs the scope${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`,
    { missing_scopes: missing },
    { 'www-authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${missing.join(' ')}"` },
  )
}

/** Throws 403 unless the principal holds every scope in `needed`. */
export function requireScopes(principal: PartnerPrincipal, needed: readonly string[]): void {
  const missing = missingScopes(principal.scopes, needed)
  if (missing.length > 0) throw insufficientScope(missing)
}

/** Authenticates every route that declares `config.partnerAuth`, then checks its scopes. */
export const partnerAuthPlugin = fp(async (app: FastifyInstance, deps: { tokens: AccessTokenSigner; clients: ClientDirectory }) => {
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
      throw unauthorized(claims.invalid === 'expired' ? 'The access token has expired' : 'The access token is invalid', true)
    }
    const client = await deps.clients.lookup(claims.clientId)
    if (!client) throw unauthorized('The access token was issued to a client that is no longer active', true)

    // A scope removed from the client since the token was issued no longer counts.
    const scopes = new Set(claims.scopes.filter((s) => client.scopes.includes(s)))
    request.partner = { partnerId: client.partnerId, clientId: client.clientId, scopes }

    if (requirement.allOf) requireScopes(request.partner, requirement.allOf)
    if (requirement.anyOf && !requirement.anyOf.some((s) => scopes.has(s))) {
      throw new AppError(
        'insufficient_scope',
        `This request needs one of the scopes ${requirement.anyOf.join(', ')}`,
        { missing_scopes: requirement.anyOf },
        { 'www-authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${requirement.anyOf.join(' ')}"` },
      )
    }
  })
})

/** The authenticated principal of a partner route (its config must declare `partnerAuth`). */
export function principalOf(request: FastifyRequest): PartnerPrincipal {
  if (!request.partner) throw new Error(`route ${request.routeOptions.url} has no partnerAuth config`)
  return request.partner
}
