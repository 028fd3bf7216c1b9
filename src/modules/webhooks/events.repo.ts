import { randomUUID } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Transaction } from '../../db/client.js'
import {
  submissions,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
  type WebhookEventType,
} from '../../db/schema.js'

/** One event of the add flow, written in the transaction of the change that causes it. */
export interface EventInput {
  type: WebhookEventType
  submissionId: string
  /** The status the event reports: the submission's, or for asset events the asset's state. */
  status: string
  /** Asset events: the partner's `asset_id`. */
  assetId?: string
  now: Date
}

/**
 * Writes an event to the outbox, and one pending delivery per enabled endpoint of the submission's
 * partner that takes its type, in one statement. It must run in the transaction of the change
 * (hence `Transaction`, not any executor): no event without its change, no change without its
 * event. The body holds ids and status only: `{event_id, type, created_at, data: {id, request_id,
 * status[, asset_id]}}`.
 */
export async function recordEvent(tx: Transaction, event: EventInput): Promise<void> {
  const id = randomUUID()
  const now = event.now.toISOString()
  const extra = event.assetId === undefined ? {} : { asset_id: event.assetId }
  await tx.execute(sql`
    with ev as (
      insert into ${webhookEvents} (id, partner_id, submission_id, type, payload, created_at)
      select ${id}::uuid, s.partner_id, s.id, ${event.type},
        jsonb_build_object(
          'event_id', ${id}::text, 'type', ${event.type}::text, 'created_at', ${now}::text,
          'data', jsonb_build_object('id', s.partner_ref, 'request_id', s.id::text, 'status', ${event.status}::text)
            || ${JSON.stringify(extra)}::jsonb),
        ${now}::timestamptz
      from ${submissions} s where s.id = ${event.submissionId}::uuid
      returning id, seq, partner_id, submission_id, type
    )
    insert into ${webhookDeliveries} (id, endpoint_id, event_id, event_seq, submission_id, next_attempt_at, created_at)
    select gen_random_uuid(), e.id, ev.id, ev.seq, ev.submission_id, ${now}::timestamptz, ${now}::timestamptz
    from ev join ${webhookEndpoints} e on e.partner_id = ev.partner_id
    where e.enabled and (e.event_types is null or ev.type = any(e.event_types))`)
}
