/** The webhooks module's public surface: endpoints management routes, the event outbox and delivery. */
export { webhookRoutes } from './webhooks.routes.js'
export { SecretBox, signatureOf } from './secrets.js'
export { checkWebhookSecretKey, WebhookSecretKeyMismatchError } from './secret-key-check.js'
export { MAX_ENDPOINTS_PER_PARTNER, ROTATION_OVERLAP_MS } from './endpoints.js'
export { recordEvent, type EventInput } from './events.repo.js'
export {
  eventBody,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_SCHEMAS,
  WebhookEventSchema,
  type EventFacts,
  type WebhookEvent,
} from './events.schemas.js'
export {
  deliverDue,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  RETRY_DELAYS_MS,
  RETRY_JITTER,
  retryDelayMs,
  type AttemptOutcome,
  type DeliverDeps,
  type DeliverOptions,
} from './deliver.js'
export { WEBHOOK_TIMEOUT_MS } from './send.js'
export { DELIVERY_RETENTION_MS } from './delivery-log.js'
export { purgeDeliveriesBefore } from './deliveries.repo.js'
