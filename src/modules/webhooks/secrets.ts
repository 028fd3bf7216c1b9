import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newEndpointSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`
}

/**
 * Encrypts and decrypts endpoint secrets (AES-256-GCM). The key is kept outside the database
 * (WEBHOOK_SECRET_KEY, or a file in the data folder), so a copy of the database alone cannot sign.
 * The endpoint id is authenticated with each ciphertext: one cannot be moved to another endpoint.
 */
export class SecretBox {
  private readonly key: Buffer
  constructor(keyMaterial: string) {
    this.key = createHash('sha256').update(`credport webhook secrets\0${keyMaterial}`).digest()
  }

  seal(secret: string, endpointId: string): string {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    cipher.setAAD(Buffer.from(endpointId))
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
    return ['v1', iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    )
  }

  open(sealed: string, endpointId: string): string {
    const [version, iv, body, tag] = sealed.split('.')
    if (version !== 'v1' || !iv || !body || !tag) throw new Error('not a sealed webhook secret')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(endpointId))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  }
}

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed with the secret's bytes (Standard Webhooks). */
export function signatureOf(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64')
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`
}
