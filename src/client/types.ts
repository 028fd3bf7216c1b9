import type { CredentialFieldsByType, CredentialTypeName } from '../modules/credential-types/index.js'
import type { V1Batch, V1Single, V2Item } from '../modules/intake-bodies/index.js'
import type {
  AssetStatusSchema,
  NotFoundStatusSchema,
  RevocationSchema,
  StatusSchema,
} from '../modules/submissions/wire.js'
import type {
  CreateEndpointBodySchema,
  DeliveryPageSchema,
  DeliverySchema,
  EndpointSchema,
  EndpointWithSecretSchema,
  UpdateEndpointBodySchema,
  WebhookEvent,
  WebhookEventType,
} from '../modules/webhooks/wire.js'
import type { Static } from 'typebox'

/**
 * Payload types of every credential type on both API versions, from the server's own TypeBox
 * schemas (src/modules/credential-types/, src/modules/intake-bodies/).
 */

/** A `credential_type` (spec §2). */
export type CredentialType = CredentialTypeName
/** The types available on v1 (every one but `universal_credential`). */
export type V1CredentialType = Exclude<CredentialType, 'universal_credential'>
/** The `fields` (v2) / `data.credential` (v1) of a credential type. */
export type CredentialFields<T extends CredentialType> = CredentialFieldsByType[T]

/** A v2 single add, and each item of a v2 batch (spec §3.2). */
export type V2Payload<T extends CredentialType> = Omit<V2Item, 'fields'> & { fields: CredentialFields<T> }

/** A v1 single add (spec §3.1). */
export type V1Payload<T extends V1CredentialType> = Omit<V1Single, 'credential_type' | 'data'> & {
  credential_type: T
  data: Omit<V1Single['data'], 'credential'> & { credential: CredentialFields<T> }
}

/**
 * A v2 batch (spec §5.1). The section names are the credential types' `batchSection` keys (the
 * server's v2 batch schema is built from them at run time, so its static type cannot name them).
 */
export interface V2BatchPayload {
  credential_id: string
  education_items?: V2Payload<'education'>[] | null
  english_proficiency_items?: V2Payload<'english_proficiency'>[] | null
  microcredential_items?: V2Payload<'microcredential'>[] | null
  digital_identity?: V2Payload<'digital_identity'> | null
  right_to_work_items?: V2Payload<'right_to_work'>[] | null
  career_history?: V2Payload<'career_history'> | null
  universal_credential_items?: V2Payload<'universal_credential'>[] | null
}

/** A legacy v1 batch (spec §5.2); each item's `data.credential` is checked by its `credential_type`. */
export type V1BatchPayload = V1Batch

/** An access token as the client holds it. */
export interface AccessToken {
  accessToken: string
  /** When the server stops accepting it. */
  expiresAt: Date
  scopes: string[]
}

/** One entry of `asset_uploads`: where to PUT one document. */
export interface AssetUpload {
  asset_id: string
  url: string
  /** The Content-Type the upload must carry (Credport extension). */
  content_type?: string
  max_bytes?: number
  expires_at?: string
  [member: string]: unknown
}

/** 201 of a v1 add or v1 batch. */
export interface RedirectResponse {
  redirect_uri: string
}

/** 201 of a v2 add or v2 batch. */
export interface V2Response extends RedirectResponse {
  asset_uploads: AssetUpload[]
}

/** The state of one document (spec §8, Credport extension). */
export type AssetStatus = Static<typeof AssetStatusSchema>

/** Status of one submission (spec §8). */
export type SubmissionStatus = Static<typeof StatusSchema>

/** A credential's revocation by its issuer, as the revoke call answers it (the first one's date and reason). */
export type Revocation = Static<typeof RevocationSchema>

/** An id the bulk status call did not find (among the partner's submissions). */
export type NotFoundStatus = Static<typeof NotFoundStatusSchema>

/** The events a webhook endpoint can receive (spec §9). */
export type { WebhookEventType }

/** The body of a webhook event, as `verifyWebhook` returns it (one type per event, told apart by `type`). */
export type { WebhookEvent }

/** What creates a webhook endpoint; `event_types` null or absent: every event. */
export type WebhookEndpointInput = Static<typeof CreateEndpointBodySchema>

/** What changes a webhook endpoint (`enabled: true` re-enables one disabled after a 410). */
export type WebhookEndpointUpdate = Static<typeof UpdateEndpointBodySchema>

/** A webhook endpoint as the API shows it (never with its secret). */
export type WebhookEndpoint = Static<typeof EndpointSchema>

/** An endpoint with its signing secret (`whsec_…`), answered only at creation and rotation. */
export type WebhookEndpointWithSecret = Static<typeof EndpointWithSecretSchema>

/** One event's delivery to one endpoint, and its attempts (the last 20, newest first). */
export type WebhookDelivery = Static<typeof DeliverySchema>

/** A page of an endpoint's deliveries, newest first; `next_offset` null on the last page. */
export type WebhookDeliveryPage = Static<typeof DeliveryPageSchema>
