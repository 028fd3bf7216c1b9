import { and, count, desc, eq } from 'drizzle-orm'
import type { Executor } from '../../db/client.js'
import { webhookEndpoints, type WebhookEndpointRow } from '../../db/schema.js'
import { isUuid } from '../../lib/ids.js'

export type NewEndpoint = typeof webhookEndpoints.$inferInsert

/** Stores a new endpoint. */
export async function insertEndpoint(db: Executor, values: NewEndpoint): Promise<WebhookEndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning()
  return row!
}

/** How many endpoints a partner has. */
export async function countEndpoints(db: Executor, partnerId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.partnerId, partnerId))
  return row?.n ?? 0
}

/** Whether any partner has an endpoint (whose secret is sealed with the instance's key). */
export async function anyEndpointExists(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: webhookEndpoints.id }).from(webhookEndpoints).limit(1)
  return rows.length > 0
}

/** A partner's endpoints, newest first. */
export async function listEndpoints(db: Executor, partnerId: string): Promise<WebhookEndpointRow[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.partnerId, partnerId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id))
}

/** One endpoint of this partner (undefined for another partner's, an unknown id or a non-UUID). */
export async function findEndpoint(
  db: Executor,
  partnerId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<WebhookEndpointRow | undefined> {
  if (!isUuid(id)) return undefined
  const query = db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.partnerId, partnerId)))
  const [row] = options.lock ? await query.for('update') : await query
  return row
}

/** Changes an endpoint of this partner; undefined when it is not theirs. */
export async function updateEndpoint(
  db: Executor,
  partnerId: string,
  id: string,
  values: Partial<NewEndpoint>,
): Promise<WebhookEndpointRow | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .update(webhookEndpoints)
    .set(values)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.partnerId, partnerId)))
    .returning()
  return row
}

/** Deletes an endpoint of this partner (and its deliveries); false when it is not theirs. */
export async function deleteEndpoint(db: Executor, partnerId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false
  const rows = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.partnerId, partnerId)))
    .returning({ id: webhookEndpoints.id })
  return rows.length > 0
}

/** Disables an endpoint whose receiver answered 410 Gone. */
export async function disableEndpoint(db: Executor, id: string, reason: string, now: Date): Promise<void> {
  await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledReason: reason, updatedAt: now })
    .where(eq(webhookEndpoints.id, id))
}
