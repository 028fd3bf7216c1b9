import { randomToken, sha256Hex } from '../../lib/crypto.js'

/** A share link's token: 32 random bytes (256 bits), base64url — 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** A new share token. Only its hash is stored: the holder sees the token once, when the link is made. */
export function newShareToken(): string {
  return randomToken(32)
}

/** The stored form of a token (hex SHA-256); null for anything that cannot be a token. */
export function shareTokenHash(token: string): string | null {
  return TOKEN_SHAPE.test(token) ? sha256Hex(token) : null
}
