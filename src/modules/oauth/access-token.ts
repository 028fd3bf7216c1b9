import { randomUUID } from 'node:crypto'
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose'
import type { Executor } from '../../db/client.js'
import { getOrCreateServerSecret } from '../../db/server-secrets.js'
import { setBounded } from '../../lib/bounded-map.js'
import type { Clock } from '../../lib/clock.js'

const ALGORITHM = 'HS512'
/** Fixed issuer: trust comes from the shared key, so instances with different PUBLIC_URLs agree. */
const ISSUER = 'credport'
const SIGNING_KEY_NAME = 'token_signing_key'
/** Verified tokens remembered (a partner sends the same token for up to TOKEN_TTL). */
const VERIFIED_CACHE_SIZE = 10_000

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
  /**
   * Tokens whose signature was checked, with their claims and expiry: a token is the same bytes
   * on every request, so its HMAC is checked once, its expiry on every use. Oldest first.
   */
  private readonly verified = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>()
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
    const known = this.verified.get(token)
    if (known) {
      if (this.clock.now().getTime() < known.expiresAtMs) return known.claims
      this.verified.delete(token)
      return { invalid: 'expired' }
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      })
      if (typeof payload.scope !== 'string' || !payload.sub) return { invalid: 'malformed' }
      // Frozen: the cached claims are shared by every request that carries this token.
      const claims = Object.freeze({
        clientId: payload.sub,
        scopes: Object.freeze(payload.scope.split(' ').filter(Boolean)) as string[],
      })
      this.remember(token, claims, payload.exp! * 1000)
      return claims
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return { invalid: 'expired' }
      return { invalid: 'malformed' }
    }
  }

  private remember(token: string, claims: AccessTokenClaims, expiresAtMs: number): void {
    setBounded(this.verified, token, { claims, expiresAtMs }, VERIFIED_CACHE_SIZE)
  }
}

/** The configured signing key, or the one generated on first start and shared through the database. */
export async function resolveSigningKey(db: Executor, configured: string | undefined): Promise<string> {
  return configured ?? getOrCreateServerSecret(db, SIGNING_KEY_NAME)
}
