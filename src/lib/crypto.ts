import crypto, { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * The parameters of new hashes. The secrets hashed here are the server's own random 256-bit values
 * (client secrets), so the hash's work factor, not its memory, is what matters: N = 1024, r = 8,
 * p = 16 costs the same CPU as the common N = 16384, r = 8, p = 1 (N·r·p alike, about 45 ms) but
 * 1 MiB of memory instead of 16 MiB. The 16 MiB of each check stayed with the process: glibc's
 * allocator keeps a freed block that size in the worker thread's arena, so four checks at once
 * left 64 MiB resident for good (bench/results.md). Hashes made with the old parameters still
 * verify: each hash names its own.
 */
export const SCRYPT = { N: 1024, r: 8, p: 16, keylen: 32 } as const
/** The most memory a stored hash's parameters may ask for (the old N = 16384, r = 8: 16 MiB). */
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024

function scryptAsync(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  )
}

/** A random URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** Hashes a secret with scrypt: `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(secret, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p })
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** Checks a secret against a stored `hashSecret` value in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAX_SCRYPT_MEMORY,
  })
  return timingSafeEqual(expected, actual)
}

/** Constant-time string comparison (hashes first so lengths do not leak). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b))
}

export function sha256(data: string | Buffer): Buffer {
  return createHash('sha256').update(data).digest()
}

/** One-shot hashing (Node ≥ 20.12), cheaper than a Hash object; absent on Node 20.11. */
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash

/** The SHA-256 of a text in hex (a token's row id): one-shot where Node has it. */
export function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : sha256(text).toString('hex')
}
