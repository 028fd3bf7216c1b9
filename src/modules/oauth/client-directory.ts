import type { Db } from '../../db/client.js'
import { setBounded } from '../../lib/bounded-map.js'
import type { Clock } from '../../lib/clock.js'
import { hashSecret, sha256, verifySecret } from '../../lib/crypto.js'
import { findClientWithPartner, type ClientWithPartner } from './clients.repo.js'

/** What a bearer token's client may do right now. */
export interface ActiveClient {
  clientId: string
  partnerId: string
  scopes: string[]
}

const STATUS_TTL_MS = 5_000
const MAX_ENTRIES = 5_000

/**
 * Answers "is this client active, and for which partner?" for every authenticated request
 * without a database read each time (entries live a few seconds; revocations through this
 * instance take effect at once, on other instances within STATUS_TTL_MS), and verifies client
 * secrets, remembering recent successful scrypt checks so that token requests stay cheap.
 */
export class ClientDirectory {
  private readonly status = new Map<string, { value: ActiveClient | null; until: number }>()
  private readonly verified = new Map<string, string>()
  private dummyHash: Promise<string> | undefined

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The active client, or null when unknown, revoked or its partner is suspended. */
  async lookup(clientId: string): Promise<ActiveClient | null> {
    const now = this.clock.now().getTime()
    const cached = this.status.get(clientId)
    if (cached && cached.until > now) return cached.value
    const row = await findClientWithPartner(this.db, clientId)
    const value = row && isActive(row) ? { clientId, partnerId: row.partnerId, scopes: row.scopes } : null
    this.remember(this.status, clientId, { value, until: now + STATUS_TTL_MS })
    return value
  }

  /** Checks a client id and secret against the database; null for any failure, without saying which. */
  async authenticate(clientId: string, secret: string): Promise<ActiveClient | null> {
    const row = await findClientWithPartner(this.db, clientId)
    if (!row) {
      // Spend the same time as a real check so response times do not reveal which ids exist.
      this.dummyHash ??= hashSecret('credport-dummy-secret')
      await verifySecret(secret, await this.dummyHash)
      return null
    }
    const fingerprint = `${clientId}\u0000${sha256(secret).toString('base64url')}`
    const ok = this.verified.get(fingerprint) === row.secretHash || (await verifySecret(secret, row.secretHash))
    if (!ok || !isActive(row)) return null
    this.remember(this.verified, fingerprint, row.secretHash)
    return { clientId, partnerId: row.partnerId, scopes: row.scopes }
  }

  /** Forgets what is known about a client (after rotation or revocation). */
  invalidate(clientId: string): void {
    this.status.delete(clientId)
    for (const key of this.verified.keys()) if (key.startsWith(`${clientId}\u0000`)) this.verified.delete(key)
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    setBounded(map, key, value, MAX_ENTRIES)
  }
}

function isActive(row: ClientWithPartner): boolean {
  return row.revokedAt === null && row.partnerStatus === 'active'
}
