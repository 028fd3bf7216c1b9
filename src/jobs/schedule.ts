import type { Deps } from '../deps.js'
import { perform as completeDirectUploads } from './complete-direct-uploads.js'
import { perform as deliverWebhooks } from './deliver-webhooks.js'
import { perform as expireSubmissions } from './expire-submissions.js'
import { perform as fetchDocuments } from './fetch-documents.js'
import { perform as purgeIdempotencyKeys } from './purge-idempotency-keys.js'
import { perform as purgeOutbox } from './purge-outbox.js'
import { perform as purgeUploadLeftovers } from './purge-upload-leftovers.js'
import { perform as purgeSessions } from './purge-sessions.js'
import { perform as purgeWebhookDeliveries } from './purge-webhook-deliveries.js'
import { perform as retryBlobDeletions } from './retry-blob-deletions.js'
import type { ScheduledJob } from './runner.js'

const MINUTE = 60_000

/**
 * Every job each server instance runs, how often, and how much one pass takes (a pass that handled
 * something is followed at once by another). Safe with several instances on one PostgreSQL: each
 * job claims rows with `FOR UPDATE SKIP LOCKED` or guarded updates.
 */
export const JOB_SCHEDULE: readonly ScheduledJob<Deps>[] = [
  // 5 claims × the 15 s fetch timeout stays well inside the 2-minute claim lease.
  { name: 'fetch-documents', intervalMs: 5_000, limit: 5, perform: fetchDocuments },
  // 10 concurrent attempts of at most 10 s each stay well inside the 2-minute claim lease.
  { name: 'deliver-webhooks', intervalMs: 2_000, limit: 10, perform: deliverWebhooks },
  // BLOB_STORE=s3: 50 HEADs a pass (every 2 s) notice an upload within seconds, bounded per pass.
  { name: 'complete-direct-uploads', intervalMs: 2_000, limit: 50, perform: completeDirectUploads },
  // Deletes the store refused (a purge deletes its blobs at once; only failures wait here).
  { name: 'retry-blob-deletions', intervalMs: MINUTE, limit: 100, perform: retryBlobDeletions },
  { name: 'expire-submissions', intervalMs: MINUTE, limit: 100, perform: expireSubmissions },
  { name: 'purge-upload-leftovers', intervalMs: 10 * MINUTE, limit: 100, perform: purgeUploadLeftovers },
  { name: 'purge-sessions', intervalMs: 10 * MINUTE, limit: 500, perform: purgeSessions },
  { name: 'purge-idempotency-keys', intervalMs: 10 * MINUTE, limit: 1000, perform: purgeIdempotencyKeys },
  { name: 'purge-webhook-deliveries', intervalMs: 10 * MINUTE, limit: 1000, perform: purgeWebhookDeliveries },
  { name: 'purge-outbox', intervalMs: 10 * MINUTE, limit: 500, perform: purgeOutbox },
]
