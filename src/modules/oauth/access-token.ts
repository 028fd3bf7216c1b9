import { randomUUID } from 'node:crypto'
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose'
import type { Executor } from '../../db/client.js'
import { getOrCreateServerSecret } from '../../db/server-secrets.js'
import type { Clock } from '../../lib/clock.js'

const ALGORITHM = 'HS512'
/** Fixed issuer: trust comes from the shared key, so instances with different PUBLIC_URLs agree. */
const ISSUER = 'credport'
const SIGNING_KEY_NAME = 'token_signing_key'

export interface AccessTokenClaims {
  clientId: string
  scopes: string[]
}

export interface IssuedToken {
  token: string
  issuedAt: number
  expiresIn: number
}

/** Signs and verifies partner access tokens (HS512 JWTs); any instance with the key can verify. */
export class AccessTokenSigner {
  private readonly key: Uint8Array
  constructor(
    secret: string,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret)
  }

  async sign(claims: AccessTokenClaims): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000)
    const token = await new SignJWT({ scope: claims.scopes.join(' ') })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(claims.clientId)
      .setIssuer(ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key)
    return { token, issuedAt, expiresIn: this.ttlSeconds }
  }

  /** The token's claims, or a reason it is not acceptable. */
  async verify(token: string): Promise<AccessTokenClaims | { invalid: 'expired' | 'malformed' }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      })
      if (typeof payload.scope !== 'string' || !payload.sub) return { invalid: 'malformed' }
      return { clientId: payload.sub, scopes: payload.scope.split(' ').filter(Boolean) }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { invalid: 'expired' }
      return { invalid: 'malformed' }
    }
  }
}

/** The configured signing key, or the one generated on first start and shared through the database. */
export async function resolveSigningKey(db: Executor, configured: string | undefined): Promise<string> {
  return configured ?? getOrCreateServerSecret(db, SIGNING_KEY_NAME)
}
