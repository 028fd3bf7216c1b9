/** The webhooks module's wire schemas, pure (TypeBox only): the SDK derives its webhook types from them. */
export {
  CreateEndpointBodySchema,
  DeliveryPageSchema,
  DeliverySchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  UpdateEndpointBodySchema,
} from './webhooks.schemas.js'
export { WebhookEventSchema, type WebhookEvent } from './events.schemas.js'
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../../db/states.js'
