import { Type, type Static, type TObject } from 'typebox'
import { Value } from 'typebox/value'
import type { WebhookEventType } from '../../db/states.js'

/**
 * The body of each webhook event (spec §9): the one definition both the outbox writer
 * (`eventBody`, events.repo.ts) and the OpenAPI document's `webhooks` section use. Thin: ids,
 * type, time and status; the partner asks the status API for the rest.
 */

const SUBMISSION_STATUSES = ['incomplete', 'verified', 'canceled'] as const

const PartnerId = Type.String({
  description: 'Your id of the submission: the v1 `id` or v2 `credential_id` you sent (the status API takes it).',
})
const RequestId = Type.String({
  format: 'uuid',
  description: "Credport's request id of the submission (`request_id` in the status API).",
})
const AssetId = Type.String({ description: 'The `asset_id` you gave the document.' })
const CredentialId = Type.String({
  description: 'Your id of the credential (its v2 `credential_id`, or v1 batch item `id`) inside the submission.',
})

/** What each event says happened. */
export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  'submission.opened': 'A holder opened the submission (signed in on its link); it is theirs to accept or decline.',
  'submission.verified': 'The holder accepted: the credentials are in their wallet.',
  'submission.canceled': 'The holder declined; the credentials and documents are deleted.',
  'submission.expired':
    'Nobody decided before the submission expired: it is canceled, its credentials and documents deleted.',
  'submission.withdrawn':
    'You withdrew the submission before the holder decided (DELETE /api/partner/v2/add/requests/{id}): it is canceled, its credentials and documents deleted.',
  'credential.revoked':
    'You revoked a credential the holder had accepted (POST /api/partner/v2/credentials/{credential_id}/revoke): the holder’s wallet and every share link show it as revoked. The reason is not repeated here (it is yours; the revoke answer has it).',
  'asset.received':
    'A document of the submission arrived (uploaded to its link, or fetched from its URL) and was stored.',
  'asset.rejected':
    'A document of the submission was refused (too large, wrong type, unreachable, failed verification…); the status API says why.',
}

function event<const K extends WebhookEventType, const D extends TObject>(type: K, data: D) {
  const description = WEBHOOK_EVENT_DESCRIPTIONS[type]
  return Type.Object(
    {
      event_id: Type.String({
        format: 'uuid',
        description: 'The event id, also sent as `webhook-id`: the same on every retry, so a repeat can be dropped.',
      }),
      type: Type.Literal(type, { description: 'The event type.' }),
      created_at: Type.String({ format: 'date-time', description: 'When the change happened.' }),
      data,
    },
    { additionalProperties: false, description },
  )
}

const submissionData = <const S extends TObject['properties'][string]>(status: S) =>
  Type.Object({ id: PartnerId, request_id: RequestId, status }, { additionalProperties: false })

const assetData = <const S extends TObject['properties'][string]>(status: S) =>
  Type.Object({ id: PartnerId, request_id: RequestId, status, asset_id: AssetId }, { additionalProperties: false })

export const SubmissionOpenedEventSchema = event(
  'submission.opened',
  submissionData(
    Type.Enum([...SUBMISSION_STATUSES], {
      description: 'The submission status: `incomplete` (the holder has yet to decide).',
    }),
  ),
)
export const SubmissionVerifiedEventSchema = event(
  'submission.verified',
  submissionData(Type.Literal('verified', { description: 'The submission status.' })),
)
export const SubmissionCanceledEventSchema = event(
  'submission.canceled',
  submissionData(Type.Literal('canceled', { description: 'The submission status.' })),
)
export const SubmissionExpiredEventSchema = event(
  'submission.expired',
  submissionData(Type.Literal('canceled', { description: 'The submission status.' })),
)
export const SubmissionWithdrawnEventSchema = event(
  'submission.withdrawn',
  submissionData(Type.Literal('canceled', { description: 'The submission status.' })),
)
export const CredentialRevokedEventSchema = event(
  'credential.revoked',
  Type.Object(
    {
      id: PartnerId,
      request_id: RequestId,
      status: Type.Literal('revoked', { description: 'The credential status (the submission stays `verified`).' }),
      credential_id: CredentialId,
    },
    { additionalProperties: false },
  ),
)
export const AssetReceivedEventSchema = event(
  'asset.received',
  assetData(
    Type.Enum(['received', 'verified'], {
      description: 'The asset state: `received`, or `verified` for an OpenCerts document whose checks passed.',
    }),
  ),
)
export const AssetRejectedEventSchema = event(
  'asset.rejected',
  assetData(Type.Literal('rejected', { description: 'The asset state.' })),
)

/** Each event type's body schema. */
export const WEBHOOK_EVENT_SCHEMAS = {
  'submission.opened': SubmissionOpenedEventSchema,
  'submission.verified': SubmissionVerifiedEventSchema,
  'submission.canceled': SubmissionCanceledEventSchema,
  'submission.expired': SubmissionExpiredEventSchema,
  'submission.withdrawn': SubmissionWithdrawnEventSchema,
  'credential.revoked': CredentialRevokedEventSchema,
  'asset.received': AssetReceivedEventSchema,
  'asset.rejected': AssetRejectedEventSchema,
} as const satisfies Record<WebhookEventType, TObject>

/** Any event body. */
export const WebhookEventSchema = Type.Union(
  [
    SubmissionOpenedEventSchema,
    SubmissionVerifiedEventSchema,
    SubmissionCanceledEventSchema,
    SubmissionExpiredEventSchema,
    SubmissionWithdrawnEventSchema,
    CredentialRevokedEventSchema,
    AssetReceivedEventSchema,
    AssetRejectedEventSchema,
  ],
  { description: 'A webhook event body.' },
)
export type WebhookEvent = Static<typeof WebhookEventSchema>

type EventOf<K extends WebhookEventType> = Static<(typeof WEBHOOK_EVENT_SCHEMAS)[K]>

/** What the code that makes an event says about it: its type, and the status (and asset) its schema allows. */
export type EventFacts = {
  [K in WebhookEventType]: {
    type: K
    status: EventOf<K>['data']['status']
  } & (EventOf<K>['data'] extends { asset_id: string } ? { assetId: string } : { assetId?: undefined }) &
    (EventOf<K>['data'] extends { credential_id: string } ? { credentialId: string } : { credentialId?: undefined })
}[WebhookEventType]

/**
 * The body of an event, checked against its documented schema: a body outside it throws (and so
 * rolls back the change it would have reported) rather than reach a partner.
 */
export function eventBody(
  facts: EventFacts,
  ids: { eventId: string; partnerRef: string; requestId: string; createdAt: Date },
): WebhookEvent {
  const body = {
    event_id: ids.eventId,
    type: facts.type,
    created_at: ids.createdAt.toISOString(),
    data: {
      id: ids.partnerRef,
      request_id: ids.requestId,
      status: facts.status,
      ...(facts.assetId === undefined ? {} : { asset_id: facts.assetId }),
      ...(facts.credentialId === undefined ? {} : { credential_id: facts.credentialId }),
    },
  }
  if (!Value.Check(WEBHOOK_EVENT_SCHEMAS[facts.type], body))
    throw new Error(`a ${facts.type} event body outside its documented schema`)
  return body
}
