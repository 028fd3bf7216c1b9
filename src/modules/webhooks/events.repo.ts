import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import type { Transaction } from '../../db/client.js'
import { submissions, webhookDeliveries, webhookEndpoints, webhookEvents } from '../../db/schema.js'
import { eventBody, type EventFacts } from './events.schemas.js'

/** One event of the add flow, written in the transaction of the change that causes it. */
export type EventInput = EventFacts & {
  submissionId: string
  now: Date
}

/**
 * Writes an event to the outbox, and one pending delivery per enabled endpoint of the submission's
 * partner that takes its type. It must run in the transaction of the change (hence `Transaction`,
 * not any executor): no event without its change, no change without its event. The body is
 * `eventBody`'s, checked against the schema the OpenAPI document shows partners (ids and status
 * only: `{event_id, type, created_at, data: {id, request_id, status[, asset_id | credential_id]}}`).
 */
export async function recordEvent(tx: Transaction, event: EventInput): Promise<void> {
  const [submission] = await tx
    .select({ id: submissions.id, partnerId: submissions.partnerId, partnerRef: submissions.partnerRef })
    .from(submissions)
    .where(eq(submissions.id, event.submissionId))
  if (!submission) return
  const id = randomUUID()
  const now = event.now.toISOString()
  const payload = eventBody(event, {
    eventId: id,
    partnerRef: submission.partnerRef,
    requestId: submission.id,
    createdAt: event.now,
  })
  await tx.execute(sql`
    with ev as (
      insert into ${webhookEvents} (id, partner_id, submission_id, type, payload, created_at)
      values (${id}::uuid, ${submission.partnerId}::uuid, ${submission.id}::uuid, ${event.type},
        ${JSON.stringify(payload)}::jsonb, ${now}::timestamptz)
      returning id, seq, partner_id, submission_id, type
    )
    insert into ${webhookDeliveries} (id, endpoint_id, event_id, event_seq, submission_id, next_attempt_at, created_at)
    select gen_random_uuid(), e.id, ev.id, ev.seq, ev.submission_id, ${now}::timestamptz, ${now}::timestamptz
    from ev join ${webhookEndpoints} e on e.partner_id = ev.partner_id
    where e.enabled and (e.event_types is null or ev.type = any(e.event_types))`)
}
