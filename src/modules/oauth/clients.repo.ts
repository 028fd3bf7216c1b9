import { and, eq, inArray, isNull } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { oauthClients, partners } from '../../db/schema.js'

export type OAuthClientRow = typeof oauthClients.$inferSelect

/** A client with what authentication needs to know about its partner. */
export interface ClientWithPartner {
  clientId: string
  partnerId: string
  secretHash: string
  scopes: string[]
  revokedAt: Date | null
  partnerStatus: 'active' | 'suspended'
}

export async function findClientWithPartner(db: Executor, clientId: string): Promise<ClientWithPartner | undefined> {
  const rows = await db
    .select({
      clientId: oauthClients.clientId,
      partnerId: oauthClients.partnerId,
      secretHash: oauthClients.secretHash,
      scopes: oauthClients.scopes,
      revokedAt: oauthClients.revokedAt,
      partnerStatus: partners.status,
    })
    .from(oauthClients)
    .innerJoin(partners, eq(partners.id, oauthClients.partnerId))
    .where(eq(oauthClients.clientId, clientId))
    .limit(1)
  return rows[0]
}

export async function insertClient(db: Executor, row: typeof oauthClients.$inferInsert): Promise<OAuthClientRow> {
  const [inserted] = await db.insert(oauthClients).values(row).returning()
  return inserted!
}

export async function listClientsOfPartners(db: Executor, partnerIds: string[]): Promise<OAuthClientRow[]> {
  if (partnerIds.length === 0) return []
  return db
    .select()
    .from(oauthClients)
    .where(inArray(oauthClients.partnerId, partnerIds))
    .orderBy(oauthClients.createdAt)
}

export async function replaceClientSecret(
  db: Executor,
  clientId: string,
  secretHash: string,
  at: Date,
): Promise<OAuthClientRow | undefined> {
  const [row] = await db
    .update(oauthClients)
    .set({ secretHash, secretRotatedAt: at })
    .where(and(eq(oauthClients.clientId, clientId), isNull(oauthClients.revokedAt)))
    .returning()
  return row
}

export async function markClientRevoked(db: Executor, clientId: string, at: Date): Promise<OAuthClientRow | undefined> {
  const [row] = await db
    .update(oauthClients)
    .set({ revokedAt: at })
    .where(and(eq(oauthClients.clientId, clientId), isNull(oauthClients.revokedAt)))
    .returning()
  return row
}

export async function findClient(db: Executor, clientId: string): Promise<OAuthClientRow | undefined> {
  const [row] = await db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId)).limit(1)
  return row
}
