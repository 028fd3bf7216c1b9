import { sql } from 'drizzle-orm'
import type { Database, Db } from '../../db/client.js'
import type { Listener } from '../../db/listen.js'
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
/** The channel on which an instance tells the others that a client changed (the payload: its id). */
export const CLIENT_CHANGES_CHANNEL = 'credport_client_changed'

/**
 * Answers "is this client active, and for which partner?" for every authenticated request
 * without a database read each time (entries live a few seconds), and verifies client secrets,
 * remembering recent successful scrypt checks so that token requests stay cheap.
 *
 * A rotation or revocation (`changed`) takes effect at once on this instance and, on PostgreSQL,
 * on every other one as soon as its NOTIFY arrives (milliseconds): each instance LISTENs
 * (`follow`). While an instance's listening connection is lost it caches nothing, and once it
 * listens again it forgets everything, as it may have missed a change.
 */
export class ClientDirectory {
  private readonly status = new Map<string, { value: ActiveClient | null; until: number }>()
  private readonly verified = new Map<string, string>()
  private dummyHash: Promise<string> | undefined
  /** Whether entries may be kept: false while changes made elsewhere could go unheard. */
  private caching = true
  /** Counts invalidations, so that a read that raced with one is not cached. */
  private generation = 0
  private listener: Listener | undefined

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** Hears the changes other instances make (PostgreSQL: LISTEN); nothing to hear on PGlite. */
  async follow(database: Database): Promise<void> {
    if (!database.listen) return
    this.listener = await database.listen(CLIENT_CHANGES_CHANNEL, {
      notify: (clientId) => this.invalidate(clientId),
      lost: () => {
        this.caching = false
        this.forgetAll()
      },
      listening: () => {
        this.forgetAll()
        this.caching = true
      },
    })
  }

  /** Stops listening. */
  async close(): Promise<void> {
    await this.listener?.close()
  }

  /** The active client, or null when unknown, revoked or its partner is suspended. */
  async lookup(clientId: string): Promise<ActiveClient | null> {
    const now = this.clock.now().getTime()
    const cached = this.status.get(clientId)
    if (cached && cached.until > now) return cached.value
    const generation = this.generation
    const row = await findClientWithPartner(this.db, clientId)
    const value = row && isActive(row) ? { clientId, partnerId: row.partnerId, scopes: row.scopes } : null
    if (this.caching && generation === this.generation)
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
    const key = fingerprint(clientId, secret)
    const remembered = this.verified.get(key)
    // Verified against an older hash: the secret was rotated through another instance. Forgotten, so
    // that isKnownGood stops vouching for it; this check is the last scrypt it costs.
    if (remembered !== undefined && remembered !== row.secretHash) this.verified.delete(key)
    const ok = remembered === row.secretHash || (await verifySecret(secret, row.secretHash))
    // A revoked client or suspended partner fails here even when its secret is remembered.
    if (!ok || !isActive(row)) return null
    if (this.caching) this.remember(this.verified, key, row.secretHash)
    return { clientId, partnerId: row.partnerId, scopes: row.scopes }
  }

  /**
   * Whether this instance already verified exactly this client id and secret, so that checking them
   * again costs no scrypt. No database read, one SHA-256 and a map lookup whether or not the id
   * exists: it tells nothing to anyone who lacks a valid secret. It does not say the client is still
   * active (revocations through other instances are not seen here): `authenticate` decides that.
   */
  isKnownGood(clientId: string, secret: string): boolean {
    return this.verified.has(fingerprint(clientId, secret))
  }

  /**
   * A client was rotated or revoked (committed): forgotten here, and every other instance on the
   * database is told (NOTIFY; on PGlite there is none, and this costs one statement).
   */
  async changed(clientId: string): Promise<void> {
    this.invalidate(clientId)
    await this.db.execute(sql`select pg_notify(${CLIENT_CHANGES_CHANNEL}, ${clientId})`)
  }

  /** Forgets what is known about a client on this instance. */
  invalidate(clientId: string): void {
    this.generation++
    this.status.delete(clientId)
    for (const key of this.verified.keys()) if (key.startsWith(`${clientId}\u0000`)) this.verified.delete(key)
  }

  private forgetAll(): void {
    this.generation++
    this.status.clear()
    this.verified.clear()
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    setBounded(map, key, value, MAX_ENTRIES)
  }
}

/** The key of a verified id and secret: the secret itself is not kept in memory, only its SHA-256. */
function fingerprint(clientId: string, secret: string): string {
  return `${clientId}\u0000${sha256(secret).toString('base64url')}`
}

function isActive(row: ClientWithPartner): boolean {
  return row.revokedAt === null && row.partnerStatus === 'active'
}
