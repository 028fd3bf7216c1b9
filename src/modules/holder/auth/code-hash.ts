import { createHmac } from 'node:crypto'
import type { Db } from '../../../db/client.js'
import { getOrCreateServerSecret } from '../../../db/server-secrets.js'

/** Server secret keying the hashes of sign-in codes and of requesting IP addresses. */
const KEY_NAME = 'sign_in_code_key'
const keys = new WeakMap<Db, Promise<Buffer>>()

/** The HMAC key (one per database, read once per process; shared by every instance). */
export function signInKey(db: Db): Promise<Buffer> {
  let key = keys.get(db)
  if (!key) {
    key = getOrCreateServerSecret(db, KEY_NAME).then((secret) => Buffer.from(secret, 'utf8'))
    key.catch(() => keys.delete(db))
    keys.set(db, key)
  }
  return key
}

/**
 * What is stored for a code: HMAC-SHA256 bound to its row, so equal codes of two rows differ. A
 * slow hash would add nothing here: a code lives 10 minutes, allows 5 tries, and its million
 * possible values would not survive an offline search under any affordable work factor anyway.
 */
export function hashCode(key: Buffer, codeId: string, code: string): Buffer {
  return createHmac('sha256', key).update(`code:${codeId}:${code}`).digest()
}

/** What is stored for an IP address: keyed, so the 2³² IPv4 addresses cannot simply be enumerated back. */
export function hashIp(key: Buffer, ip: string): string {
  return createHmac('sha256', key).update(`ip:${ip}`).digest('hex')
}
