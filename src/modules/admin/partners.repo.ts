import { asc, count, eq } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { partners } from '../../db/schema.js'

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
