import { asc, count, eq, inArray, sql } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { partnerLogos, partners } from '../../db/schema.js'

export type PartnerRow = typeof partners.$inferSelect

export async function insertPartner(db: Executor, row: typeof partners.$inferInsert): Promise<PartnerRow> {
  const [inserted] = await db.insert(partners).values(row).returning()
  return inserted!
}

export async function findPartner(db: Executor, id: string): Promise<PartnerRow | undefined> {
  const [row] = await db.select().from(partners).where(eq(partners.id, id)).limit(1)
  return row
}

export async function listPartners(db: Executor): Promise<PartnerRow[]> {
  return db.select().from(partners).orderBy(asc(partners.createdAt), asc(partners.name))
}

export async function countPartners(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(partners)
  return Number(row?.n ?? 0)
}

export async function updatePartner(
  db: Executor,
  id: string,
  changes: Partial<Pick<PartnerRow, 'displayName' | 'supportContact'>>,
): Promise<PartnerRow | undefined> {
  const [row] = await db.update(partners).set(changes).where(eq(partners.id, id)).returning()
  return row
}

export type PartnerLogoRow = typeof partnerLogos.$inferSelect
/** A logo without its bytes: what partner views and holder pages need. */
export type LogoSummary = Omit<PartnerLogoRow, 'bytes'> & { size: number }

export async function findLogo(db: Executor, partnerId: string): Promise<PartnerLogoRow | undefined> {
  const [row] = await db.select().from(partnerLogos).where(eq(partnerLogos.partnerId, partnerId)).limit(1)
  return row
}

export async function listLogoSummaries(db: Executor, partnerIds: string[]): Promise<LogoSummary[]> {
  if (partnerIds.length === 0) return []
  return db
    .select({
      partnerId: partnerLogos.partnerId,
      contentType: partnerLogos.contentType,
      sha256: partnerLogos.sha256,
      updatedAt: partnerLogos.updatedAt,
      size: sql<number>`octet_length(${partnerLogos.bytes})::int`,
    })
    .from(partnerLogos)
    .where(inArray(partnerLogos.partnerId, partnerIds))
}

export async function upsertLogo(db: Executor, row: PartnerLogoRow): Promise<void> {
  await db
    .insert(partnerLogos)
    .values(row)
    .onConflictDoUpdate({
      target: partnerLogos.partnerId,
      set: { contentType: row.contentType, bytes: row.bytes, sha256: row.sha256, updatedAt: row.updatedAt },
    })
}

export async function deleteLogo(db: Executor, partnerId: string): Promise<boolean> {
  const deleted = await db.delete(partnerLogos).where(eq(partnerLogos.partnerId, partnerId)).returning()
  return deleted.length > 0
}
