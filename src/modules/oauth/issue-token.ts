import { Type, type Static } from 'typebox'
import { OAuthError } from '../../errors.js'
import { unstorableTextReason } from '../../lib/validation.js'
import type { AccessTokenSigner } from './access-token.js'
import type { ClientDirectory } from './client-directory.js'
import { missingScopes, parseScopeList } from './scopes.js'

const param = (description: string) => Type.String({ description, maxLength: 4096 })

/**
 * The token request's parameters (RFC 6749 §4.4.2, §2.3.1), form-encoded or JSON, each once (a
 * repeated form parameter arrives as an array and is refused). Other parameters are ignored
 * (RFC 6749 §3.2).
 */
export const TokenRequestSchema = Type.Object(
  {
    grant_type: param('Must be `client_credentials`.'),
    client_id: Type.Optional(param('Client id (or use HTTP Basic).')),
    client_secret: Type.Optional(param('Client secret (or use HTTP Basic).')),
    scope: Type.Optional(param('Space-separated scopes; omitted = every scope of the client.')),
  },
  { description: 'Form-encoded (`application/x-www-form-urlencoded`) or JSON.' },
)
export type TokenRequestBody = Static<typeof TokenRequestSchema>

export interface TokenRequest {
  body: TokenRequestBody
  authorization: string | undefined
  /**
   * Seconds the caller's address must wait before a new client secret is checked for it (it failed
   * too often); 0 when it need not. Meanwhile only an id and secret this instance already verified
   * (no scrypt) are checked — revoked clients still fail — and any other pair gets a 429.
   */
  secretCheckWaitSeconds: number
}

/** The 200 answer of the token endpoint (spec §1). */
export const TokenResponseSchema = Type.Object({
  access_token: Type.String({ description: 'Signed JWT to send as `Authorization: Bearer …`.' }),
  token_type: Type.Literal('Bearer', { description: 'Always `Bearer`.' }),
  expires_in: Type.Integer({ description: 'Seconds until the token expires.' }),
  scope: Type.String({ description: 'Space-separated scopes the token carries.' }),
  created_at: Type.Integer({ description: 'Unix time (seconds) the token was issued.' }),
})
export type TokenResponse = Static<typeof TokenResponseSchema>

const BASIC_CHALLENGE = { 'www-authenticate': 'Basic realm="credport", charset="UTF-8"' }

/** OAuth 2.0 client credentials grant (RFC 6749 §4.4) with client authentication in the body or by HTTP Basic. */
export async function issueAccessToken(
  deps: { clients: ClientDirectory; tokens: AccessTokenSigner },
  request: TokenRequest,
): Promise<TokenResponse> {
  const params = request.body
  if (params.grant_type !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported')
  }

  const basic = request.authorization === undefined ? undefined : parseBasic(request.authorization)
  if (
    basic &&
    (params.client_secret !== undefined || (params.client_id !== undefined && params.client_id !== basic.id))
  ) {
    throw new OAuthError(
      'invalid_request',
      'Use one client authentication method: HTTP Basic or the request body, not both',
    )
  }
  const clientId = basic?.id ?? params.client_id
  const secret = basic?.secret ?? params.client_secret
  const challenge = basic ? BASIC_CHALLENGE : {}
  if (!clientId || !secret) throw new OAuthError('invalid_client', 'Client authentication failed', challenge)
  if (request.secretCheckWaitSeconds > 0 && !deps.clients.isKnownGood(clientId, secret)) {
    // RFC 6749 §5.2 has no code for "slow down": its codes all say the request or the client is
    // wrong, and invalid_client would tell a client with the right secret to stop using it.
    // temporarily_unavailable is RFC 6749's code (§4.1.2.1) for "cannot handle the request due to a
    // temporary overloading", which a client retries; the 429 and Retry-After say when.
    const wait = request.secretCheckWaitSeconds
    throw new OAuthError(
      'temporarily_unavailable',
      `Too many failed client authentications from this address; try again in ${wait} s`,
      {
        'retry-after': String(wait),
      },
    )
  }

  const client = await deps.clients.authenticate(clientId, secret)
  if (!client) throw new OAuthError('invalid_client', 'Client authentication failed', challenge)

  let scopes = client.scopes
  if (params.scope !== undefined && params.scope.trim() !== '') {
    const requested = parseScopeList(params.scope)
    const notGranted = missingScopes(new Set(client.scopes), requested)
    if (notGranted.length > 0) {
      throw new OAuthError('invalid_scope', `Scope not granted to this client: ${notGranted.join(' ')}`)
    }
    scopes = requested
  }

  const issued = await deps.tokens.sign({ clientId, scopes })
  return {
    access_token: issued.token,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    scope: scopes.join(' '),
    created_at: issued.issuedAt,
  }
}

function parseBasic(header: string): { id: string; secret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header)
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  if (colon <= 0) {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials', BASIC_CHALLENGE)
  }
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.
  const id = formDecode(decoded.slice(0, colon))
  const secret = formDecode(decoded.slice(colon + 1))
  // No client id or secret holds a NUL or an unpaired surrogate (and PostgreSQL could not look one up).
  if (unstorableTextReason(id) || unstorableTextReason(secret)) {
    throw new OAuthError('invalid_client', 'Malformed HTTP Basic credentials', BASIC_CHALLENGE)
  }
  return { id, secret }
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}
