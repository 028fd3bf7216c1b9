import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../db/schema.js'
import {
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  RETRY_DELAYS_MS,
  RETRY_JITTER,
  ROTATION_OVERLAP_MS,
  WEBHOOK_EVENT_DESCRIPTIONS,
  WEBHOOK_EVENT_SCHEMAS,
  WEBHOOK_TIMEOUT_MS,
} from '../modules/webhooks/index.js'
import { eventExample } from './openapi-examples.js'

/** A duration as a reader says it: `5 s`, `30 min`, `27 h 35 min`. */
export function spokenDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  const parts: string[] = []
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = seconds % 60
  if (hours) parts.push(`${hours} h`)
  if (minutes) parts.push(`${minutes} min`)
  if (rest || parts.length === 0) parts.push(`${rest} s`)
  return parts.join(' ')
}

/** The retry schedule, read from the delivery code's constants. */
export function retrySchedule(): string {
  const total = RETRY_DELAYS_MS.reduce((sum, ms) => sum + ms, 0)
  const jitter = Math.round(RETRY_JITTER * 100)
  return (
    `After a failed attempt the next one follows ${RETRY_DELAYS_MS.map(spokenDuration).join(', ')} later ` +
    `(each wait ±${jitter} %, so that receivers are not hit in step): at most ${MAX_ATTEMPTS} attempts over ` +
    `${spokenDuration(total)} (at least ${spokenDuration(total * (1 - RETRY_JITTER))}); then the delivery is ` +
    "`failed`. Every attempt is in the endpoint's delivery log (`GET /api/partner/v2/webhooks/{id}/deliveries`), " +
    'and a delivered or failed delivery can be sent again with `POST …/deliveries/{delivery_id}/retry`.'
  )
}

const HEADERS = [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description:
      'The event id (`event_id` of the body): the same on every attempt; drop an event whose id you already processed.',
    schema: { type: 'string', format: 'uuid' },
    example: '3f6c2a9e-8b14-4d7a-9c05-1e2f3a4b5c6d',
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description:
      'When this attempt was signed, in Unix seconds. Refuse a timestamp more than 5 minutes from your clock (a replay).',
    schema: { type: 'string', pattern: '^\\d+$' },
    example: '1767260530',
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description: `Standard Webhooks signatures, space-separated: \`v1,\` + base64 of HMAC-SHA256, keyed with the base64-decoded part of your secret after \`whsec_\`, of \`{webhook-id}.{webhook-timestamp}.{raw body}\`. Accept the request if one matches. For ${spokenDuration(ROTATION_OVERLAP_MS)} after a rotation there are two: the new secret's and the previous one's.`,
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  },
]

const RETRY_AFTER = {
  'Retry-After': {
    description: `When to try again: seconds, or an HTTP date (at most ${spokenDuration(MAX_RETRY_AFTER_MS)} ahead is honoured). Without it, the schedule applies.`,
    schema: { type: 'string' },
  },
}

const RESPONSES = {
  '2XX': { description: 'Delivered: no further attempt. The body of the answer is read and dropped.' },
  '410': {
    description:
      'Gone: the delivery fails and the endpoint is disabled (`disabled_reason: gone`); nothing more is sent to it until a `PUT /api/partner/v2/webhooks/{id}` with `{"enabled": true}`.',
  },
  '429': { description: 'Too many requests: retried at `Retry-After`.', headers: RETRY_AFTER },
  '503': { description: 'Unavailable: retried at `Retry-After`.', headers: RETRY_AFTER },
  default: {
    description: `Anything else — another status, no answer within ${spokenDuration(WEBHOOK_TIMEOUT_MS)}, a connection failure — is retried on the schedule.`,
  },
}

const SUMMARIES: Record<WebhookEventType, string> = {
  'submission.opened': 'a holder opened a submission',
  'submission.verified': 'the holder accepted',
  'submission.canceled': 'the holder declined',
  'submission.expired': 'a submission expired undecided',
  'submission.withdrawn': 'you withdrew a submission',
  'credential.revoked': 'you revoked an accepted credential',
  'asset.received': 'a document arrived',
  'asset.rejected': 'a document was refused',
}

function description(type: WebhookEventType): string {
  return [
    WEBHOOK_EVENT_DESCRIPTIONS[type],
    `Credport POSTs it, as JSON, to each enabled endpoint of yours whose \`event_types\` take \`${type}\` (or are null), after the change is committed: at least once (drop repeats by \`webhook-id\`), in the order of the changes for one submission. The body is thin: call the status API for the details.`,
    `**Retries.** ${retrySchedule()}`,
  ].join('\n\n')
}

/** The OpenAPI 3.1 `webhooks` of the document: one POST per event type, its body schema the one the outbox writes with. */
export function webhooksDocument(): Record<string, unknown> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `event_${type.replace('.', '_')}`,
          tags: ['Webhook events'],
          summary: `${type}: ${SUMMARIES[type]}`,
          description: description(type),
          parameters: HEADERS,
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: JSON.parse(JSON.stringify(WEBHOOK_EVENT_SCHEMAS[type])),
                example: eventExample(type),
              },
            },
          },
          responses: RESPONSES,
        },
      },
    ]),
  )
}
