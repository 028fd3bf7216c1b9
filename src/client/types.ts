import type { CredentialFieldsByType, CredentialTypeName } from '../modules/credential-types/index.js'
import type { V1Batch, V1Single, V2Item } from '../modules/intake-bodies/index.js'

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
export interface AssetStatus {
  asset_id: string
  asset_type: string
  state: 'awaiting_upload' | 'awaiting_fetch' | 'received' | 'verified' | 'rejected' | 'missing'
  reason: string | null
  bytes: number | null
  sha256: string | null
  received_at: string | null
  verification?: Record<string, unknown>
}

/** Status of one submission (spec §8). */
export interface SubmissionStatus {
  id: string
  status: 'incomplete' | 'verified' | 'canceled'
  finalized_at: string | null
  request_id: string
  created_at: string
  expires_at: string
  opened_at: string | null
  items: Array<{ id: string; credential_type: string; status: string; assets: AssetStatus[] }>
}

/** An id the bulk status call did not find (among the partner's submissions). */
export interface NotFoundStatus {
  id: string
  status: 'not_found'
  finalized_at: null
}

/** The events a webhook endpoint can receive (spec §9). */
export type WebhookEventType =
  | 'submission.opened'
  | 'submission.verified'
  | 'submission.canceled'
  | 'submission.expired'
  | 'asset.received'
  | 'asset.rejected'

/** What creates a webhook endpoint; `event_types` null or absent: every event. */
export interface WebhookEndpointInput {
  url: string
  name?: string | null
  description?: string | null
  event_types?: WebhookEventType[] | null
  enabled?: boolean
}

/** A webhook endpoint as the API shows it (never with its secret). */
export interface WebhookEndpoint {
  id: string
  url: string
  name: string | null
  description: string | null
  event_types: WebhookEventType[] | null
  enabled: boolean
  disabled_reason: 'gone' | 'partner' | null
  created_at: string
  updated_at: string
}

/** An endpoint with its signing secret (`whsec_…`), answered only at creation and rotation. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string
}

/** One event's delivery to one endpoint, and its attempts. */
export interface WebhookDelivery {
  id: string
  event_id: string
  event_type: string
  status: 'pending' | 'delivered' | 'failed'
  attempts: number
  last_status_code: number | null
  last_error: string | null
  last_duration_ms: number | null
  last_attempt_at: string | null
  next_attempt_at: string | null
  created_at: string
  /** Every attempt, newest first (the last 20). */
  attempt_log: Array<{
    attempt: number
    attempted_at: string
    status_code: number | null
    duration_ms: number
    error: string | null
    next_attempt_at: string | null
  }>
}

/** A page of an endpoint's deliveries, newest first; `next_offset` null on the last page. */
export interface WebhookDeliveryPage {
  deliveries: WebhookDelivery[]
  next_offset: number | null
}
