import { Type, type Static } from 'typebox'
import { WEBHOOK_EVENT_TYPES } from '../../db/states.js'

const Timestamp = (description: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description })

const Url = Type.String({
  minLength: 1,
  maxLength: 2000,
  description: 'Where events are POSTed: an https URL on a public address.',
})
const Name = Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'A name for you.' })
const Description = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()], {
  description: 'A description for you.',
})
const EventTypes = Type.Union(
  [
    Type.Array(Type.Enum([...WEBHOOK_EVENT_TYPES]), {
      minItems: 1,
      uniqueItems: true,
      description: 'An event type.',
    }),
    Type.Null(),
  ],
  { description: 'The event types sent to this endpoint; null or absent: all of them.' },
)
const Enabled = Type.Boolean({
  description: 'Whether events are sent; `true` re-enables an endpoint disabled after a 410.',
})

export const CreateEndpointBodySchema = Type.Object(
  {
    url: Url,
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    event_types: Type.Optional(EventTypes),
    enabled: Type.Optional(Enabled),
  },
  { additionalProperties: false },
)
export type CreateEndpointBody = Static<typeof CreateEndpointBodySchema>

export const UpdateEndpointBodySchema = Type.Object(
  {
    url: Type.Optional(Url),
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    event_types: Type.Optional(EventTypes),
    enabled: Type.Optional(Enabled),
  },
  { additionalProperties: false },
)

export const EndpointSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The endpoint id.' }),
  url: Type.String({ description: 'Where events are POSTed.' }),
  name: Name,
  description: Description,
  event_types: EventTypes,
  enabled: Type.Boolean({ description: 'Whether events are sent to it.' }),
  disabled_reason: Type.Union([Type.Enum(['gone', 'partner']), Type.Null()], {
    description: '`gone`: the receiver answered 410; `partner`: you disabled it.',
  }),
  created_at: Type.String({ format: 'date-time', description: 'When it was created.' }),
  updated_at: Type.String({ format: 'date-time', description: 'When it last changed.' }),
})

export const EndpointWithSecretSchema = Type.Intersect([
  EndpointSchema,
  Type.Object({
    secret: Type.String({
      description:
        'The signing secret (`whsec_` + base64 of 32 bytes), shown now only: store it. Verify `webhook-signature` with it.',
    }),
  }),
])

export const EndpointListSchema = Type.Array(EndpointSchema, { description: 'Your webhook endpoints.' })

export const EndpointParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'The endpoint id.' }),
})

export const DeliveryParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100, description: 'The endpoint id.' }),
  deliveryId: Type.String({ minLength: 1, maxLength: 100, description: 'The delivery id.' }),
})

export const DeliveryQuerySchema = Type.Object(
  {
    limit: Type.Optional(
      Type.String({ pattern: '^(100|[1-9]\\d?)$', description: 'Deliveries per page (1–100, 50).' }),
    ),
    offset: Type.Optional(Type.String({ pattern: '^\\d{1,7}$', description: 'Deliveries to skip (0).' })),
  },
  { additionalProperties: false },
)

export const DeliverySchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The delivery id: one event to this endpoint.' }),
  event_id: Type.String({
    format: 'uuid',
    description: 'The event delivered: its `event_id`, the `webhook-id` header of every attempt.',
  }),
  event_type: Type.String({ description: 'Its type.' }),
  status: Type.Enum(['pending', 'delivered', 'failed'], {
    description: 'pending (will be attempted), delivered (2xx) or failed (gave up, or 410).',
  }),
  attempts: Type.Integer({ description: 'Attempts made so far.' }),
  last_status_code: Type.Union([Type.Integer(), Type.Null()], {
    description: 'HTTP status of the last attempt; null when none was answered.',
  }),
  last_error: Type.Union([Type.String(), Type.Null()], {
    description: 'Why the last attempt got no answer: timeout, connection_failed, private_address…',
  }),
  last_duration_ms: Type.Union([Type.Integer(), Type.Null()], { description: 'How long the last attempt took.' }),
  last_attempt_at: Timestamp('When the last attempt was made.'),
  next_attempt_at: Timestamp('When the next attempt is due (pending only).'),
  created_at: Type.String({ format: 'date-time', description: 'When the event happened.' }),
  attempt_log: Type.Array(
    Type.Object({
      attempt: Type.Integer({ description: '1 for the first attempt.' }),
      attempted_at: Type.String({ format: 'date-time', description: 'When it was made.' }),
      status_code: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status answered; null: none.' }),
      duration_ms: Type.Integer({ description: 'How long it took.' }),
      error: Type.Union([Type.String(), Type.Null()], { description: 'Why no answer came, when none did.' }),
      next_attempt_at: Timestamp('The next attempt it scheduled; null: none.'),
    }),
    { description: 'Every attempt of this delivery, newest first (the last 20).' },
  ),
})

export const DeliveryPageSchema = Type.Object({
  deliveries: Type.Array(DeliverySchema, { description: 'Newest first.' }),
  next_offset: Type.Union([Type.Integer(), Type.Null()], { description: 'The `offset` of the next page; null: none.' }),
})
