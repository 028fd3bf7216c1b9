import { sql } from 'drizzle-orm'
import {
  customType,
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { ASSET_STATES, WEBHOOK_EVENT_TYPES } from './states.js'

export {
  ASSET_STATES,
  ITEM_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type AssetState,
  type ItemStatus,
  type WebhookEventType,
} from './states.js'

/** Raw bytes: `bytea`, read back as a Buffer on both drivers. */
const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
})

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow()

/** An organisation that submits credentials: education provider, test provider, employer… */
export const partners = pgTable('partners', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /**
   * The name holders see ("University A wants to add…"). Required for new partners; null for
   * partners registered before it existed (and by an older instance during a rolling upgrade),
   * which show `name` instead.
   */
  displayName: text('display_name'),
  /** Where holders ask the partner for help: an email address or an https URL. */
  supportContact: text('support_contact'),
  /** Hosts whose https URLs Credport may fetch documents from on this partner's behalf. */
  documentHosts: text('document_hosts').array().notNull().default(sql`'{}'::text[]`),
  status: text('status', { enum: ['active', 'suspended'] })
    .notNull()
    .default('active'),
  createdAt: createdAt(),
})

/** The name holders and verifiers see of a partner: its display name, or its name for partners registered before display names. */
export const partnerShownName = sql<string>`coalesce(${partners.displayName}, ${partners.name})`

/** A partner's logo, shown to holders: PNG, or SVG as sanitised on upload. At most one per partner. */
export const partnerLogos = pgTable('partner_logos', {
  partnerId: uuid('partner_id')
    .primaryKey()
    .references(() => partners.id, { onDelete: 'cascade' }),
  contentType: text('content_type', { enum: ['image/png', 'image/svg+xml'] }).notNull(),
  bytes: bytea('bytes').notNull(),
  /** SHA-256 of `bytes` (hex): the logo's ETag and the version in its URL. */
  sha256: text('sha256').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
})

/** OAuth 2.0 confidential clients; a partner may hold several (secret rotation without downtime). */
export const oauthClients = pgTable(
  'oauth_clients',
  {
    clientId: text('client_id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    /** scrypt hash in PHC-like form `scrypt$N$r$p$salt$hash`; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    secretRotatedAt: timestamp('secret_rotated_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('oauth_clients_partner_idx').on(t.partnerId)],
)

/** Server-wide generated secrets (the token signing key), shared by every instance. */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
})

/**
 * One accepted POST: a single credential or a batch. `id` is Credport's request id (the
 * `content` of the redirect link); `partnerRef` is the partner's own id for it.
 */
export const submissions = pgTable(
  'submissions',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    /** The client that submitted it: its id is the `clientId` of the redirect link. */
    clientId: text('client_id').notNull(),
    partnerRef: text('partner_ref').notNull(),
    /** The one submission answering for `partnerRef` now; older ones stay for history only. */
    isCurrent: boolean('is_current').notNull().default(true),
    envelope: text('envelope', { enum: ['v1', 'v1-batch', 'v2', 'v2-batch'] }).notNull(),
    /** Holder page path of the redirect link (spec §10). */
    redirectPath: text('redirect_path').notNull(),
    /** v1 single adds only: echoed as `documentType` in the redirect link. */
    documentType: text('document_type'),
    /** SHA-256 of the canonical request body: the same id with another body is a conflict. */
    bodyHash: text('body_hash').notNull(),
    status: text('status', { enum: ['incomplete', 'verified', 'canceled'] })
      .notNull()
      .default('incomplete'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true, mode: 'date' }),
    finalizedAt: timestamp('finalized_at', { withTimezone: true, mode: 'date' }),
    /** Why it was canceled: the holder declined, it expired, or its issuer withdrew it. */
    cancelReason: text('cancel_reason', { enum: ['declined', 'expired', 'withdrawn'] }),
    /** Set when credential data and documents were deleted (expiry); only ids, status and times remain. */
    dataDeletedAt: timestamp('data_deleted_at', { withTimezone: true, mode: 'date' }),
    /** The holder bound to it: the first one who signed in and opened the link. */
    holderId: uuid('holder_id').references(() => holders.id),
  },
  (t) => [
    uniqueIndex('submissions_current_ref_idx').on(t.partnerId, t.partnerRef).where(sql`${t.isCurrent}`),
    index('submissions_incomplete_expiry_idx').on(t.expiresAt).where(sql`${t.status} = 'incomplete'`),
    // Only bound submissions are looked up by holder: new ones (no holder yet) skip this index.
    index('submissions_holder_idx').on(t.holderId).where(sql`${t.holderId} is not null`),
  ],
)

/** One credential inside a submission. */
export const submissionItems = pgTable(
  'submission_items',
  {
    id: uuid('id').primaryKey(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    /**
     * The submission's partner, copied here (written with the submission, never changed) for the
     * lookup by item id. An insert without it takes the submission's, in a trigger (migration 0008).
     */
    partnerId: uuid('partner_id').notNull(),
    position: integer('position').notNull(),
    /** The partner's id for this credential (v2 `credential_id`, v1 batch item `id`). */
    partnerItemId: text('partner_item_id').notNull(),
    credentialType: text('credential_type').notNull(),
    /** The credential's fields in canonical form; null once the data is deleted. */
    fields: jsonb('fields').$type<Record<string, unknown>>(),
    partnerChain: jsonb('partner_chain').$type<Array<{ name: string }>>(),
    displayTitle: text('display_title'),
    /** The holder's decision on this credential (per-item consent); null until the submission is decided. */
    decision: text('decision', { enum: ['accepted', 'declined'] }),
    /** When its issuer revoked the accepted credential, and why (shown to the holder and verifiers). */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokeReason: text('revoke_reason'),
    /** When the holder removed the accepted credential from their wallet (its data is then deleted). */
    removedAt: timestamp('removed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('submission_items_partner_item_idx').on(t.submissionId, t.partnerItemId),
    // Status by credential id looks a partner's items up by their id, across its submissions (and
    // never through another partner's items that share the id).
    index('submission_items_by_partner_item_id_idx').on(t.partnerId, t.partnerItemId),
  ],
)

/** One document attached to an item: uploaded through a signed link, fetched from a URL, or sent inline. */
export const assets = pgTable(
  'assets',
  {
    id: uuid('id').primaryKey(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => submissionItems.id, { onDelete: 'cascade' }),
    /** The partner's `asset_id` (v2), or `document` for a v1 document. */
    partnerAssetId: text('partner_asset_id').notNull(),
    assetType: text('asset_type', { enum: ['pdf', 'png', 'jpg', 'open_cert'] }).notNull(),
    source: text('source', { enum: ['upload', 'url', 'inline'] }).notNull(),
    /** For `url` sources: where to fetch the document from; cleared once fetched or deleted. */
    sourceUrl: text('source_url'),
    state: text('state', { enum: ASSET_STATES }).notNull(),
    rejectReason: text('reject_reason'),
    blobKey: text('blob_key'),
    bytes: integer('bytes'),
    sha256: text('sha256'),
    /** OpenCerts verification outcome, when the document is one. */
    verification: jsonb('verification').$type<Record<string, unknown>>(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }),
    /** Attempts and next attempt time of the document fetcher. */
    fetchAttempts: integer('fetch_attempts').notNull().default(0),
    fetchAfter: timestamp('fetch_after', { withTimezone: true, mode: 'date' }),
    /**
     * A completion pass's claim of a direct upload that arrived (BLOB_STORE=s3): other passes, on
     * any instance, leave its copy and read alone until then.
     */
    arrivalClaimedUntil: timestamp('arrival_claimed_until', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('assets_partner_asset_idx').on(t.submissionId, t.partnerAssetId),
    index('assets_item_idx').on(t.itemId),
    index('assets_fetch_queue_idx').on(t.fetchAfter).where(sql`${t.state} = 'awaiting_fetch'`),
  ],
)

/** `Idempotency-Key` header values: the same key with the same body replays the same submission. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    key: text('key').notNull(),
    bodyHash: text('body_hash').notNull(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.key] }), index('idempotency_keys_expiry_idx').on(t.expiresAt)],
)

/** A person who signed in with an emailed one-time code. */
export const holders = pgTable('holders', {
  id: uuid('id').primaryKey(),
  /** Lower-cased; the only personal data kept about a holder besides their credentials. */
  email: text('email').notNull().unique(),
  createdAt: createdAt(),
  lastSignedInAt: timestamp('last_signed_in_at', { withTimezone: true, mode: 'date' }),
})

/**
 * A holder's share link (`/s/{token}`): the credentials they chose, shown to whoever has the link
 * until it expires or they revoke it. The token is random (≥128 bits); only its SHA-256 is stored.
 */
export const shareLinks = pgTable(
  'share_links',
  {
    id: uuid('id').primaryKey(),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => holders.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    /** The holder's own name for it ("Application to Acme"). */
    label: text('label').notNull(),
    includeDocuments: boolean('include_documents').notNull().default(false),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    openCount: integer('open_count').notNull().default(0),
    lastOpenedAt: timestamp('last_opened_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('share_links_holder_idx').on(t.holderId, t.createdAt)],
)

/** The credentials a share link shows, in the holder's order. */
export const shareLinkItems = pgTable(
  'share_link_items',
  {
    shareLinkId: uuid('share_link_id')
      .notNull()
      .references(() => shareLinks.id, { onDelete: 'cascade' }),
    itemId: uuid('item_id')
      .notNull()
      .references(() => submissionItems.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shareLinkId, t.itemId] }), index('share_link_items_item_idx').on(t.itemId)],
)

/**
 * The instance's signing keys for share links' JSON (JWS, EdDSA/Ed25519), shared by every
 * instance. The newest unretired key signs; every key not yet past `retires_at` is published in
 * `/.well-known/jwks.json`, so signatures made before a rotation keep verifying during the overlap.
 */
export const signingKeys = pgTable('signing_keys', {
  /** The JWK `kid`. */
  kid: text('kid').primaryKey(),
  /** The private key, PKCS#8 PEM. */
  privateKey: text('private_key').notNull(),
  /** The public key as a JWK (with `kid`, `alg`, `use`). */
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  /** Set by a rotation: the key stops signing at once and stops being published at this time. */
  retiresAt: timestamp('retires_at', { withTimezone: true, mode: 'date' }),
})

/** Server-side browser sessions; the cookie carries a random token, the table only its SHA-256. */
export const holderSessions = pgTable(
  'holder_sessions',
  {
    id: text('id').primaryKey(),
    holderId: uuid('holder_id').references(() => holders.id, { onDelete: 'cascade' }),
    /** Per-session secret for CSRF tokens of forms. */
    csrfSecret: text('csrf_secret').notNull(),
    /** The submission whose link this browser opened, waiting for sign-in or review. */
    pendingSubmissionId: uuid('pending_submission_id').references(() => submissions.id, { onDelete: 'set null' }),
    locale: text('locale'),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('holder_sessions_expiry_idx').on(t.expiresAt)],
)

/** Emailed one-time sign-in codes, stored hashed; attempts and sends are counted for limits. */
export const signInCodes = pgTable(
  'sign_in_codes',
  {
    id: uuid('id').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => holderSessions.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    codeHash: text('code_hash').notNull(),
    /** SHA-256 of the requesting IP address, for the per-IP rate limit. */
    ipHash: text('ip_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('sign_in_codes_email_idx').on(t.email, t.createdAt),
    index('sign_in_codes_ip_idx').on(t.ipHash, t.createdAt),
    // A session's latest code (sign-in), and the cascade when expired sessions are purged.
    index('sign_in_codes_session_idx').on(t.sessionId, t.createdAt),
  ],
)

/** A partner's webhook endpoint (spec §9). Its signing secrets are stored encrypted (AES-256-GCM). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey(),
    partnerId: uuid('partner_id')
      .notNull()
      .references(() => partners.id),
    url: text('url').notNull(),
    name: text('name'),
    description: text('description'),
    /** The event types sent to it; null: every type. */
    eventTypes: text('event_types').array(),
    enabled: boolean('enabled').notNull().default(true),
    /** Why it was disabled: `gone` (the receiver answered 410) or `partner` (a PUT). */
    disabledReason: text('disabled_reason'),
    /** The signing secret, encrypted with the webhook secret key (never the secret itself). */
    secretCiphertext: text('secret_ciphertext').notNull(),
    /** The secret before the last rotation, still signing beside the new one until `previousSecretUntil`. */
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_partner_idx').on(t.partnerId)],
)

/**
 * The event outbox: one row per event, written in the transaction of the change that caused it.
 * `seq` orders events as they happened. The payload holds ids and status only (no personal data).
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    partnerId: uuid('partner_id').notNull(),
    submissionId: uuid('submission_id').notNull(),
    type: text('type', { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_events_created_idx').on(t.createdAt)],
)

/** One event to one endpoint: its attempts so far, the last outcome and when the next attempt is due. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    /** Copied from the event: deliveries of one submission to one endpoint go out in this order. */
    eventSeq: bigint('event_seq', { mode: 'number' }).notNull(),
    submissionId: uuid('submission_id').notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt is due; while an attempt runs, the end of its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastDurationMs: integer('last_duration_ms'),
    /** A short error class (`timeout`, `connection_failed`, `private_address`), never a response body. */
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    index('webhook_deliveries_order_idx')
      .on(t.endpointId, t.submissionId, t.eventSeq)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_created_idx').on(t.createdAt),
    // Deleting events (the purge) looks their deliveries up by event.
    index('webhook_deliveries_event_idx').on(t.eventId),
  ],
)

/** Every attempt of a delivery, as the partner's delivery log shows it: never a response body. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: uuid('id').primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    /** 1 for the first attempt of the delivery. */
    attempt: integer('attempt').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, mode: 'date' }).notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error'),
    /** When the next attempt was scheduled by this one's outcome; null when none. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attempt)],
)

/**
 * Blobs to delete (src/storage/blob-deletions.ts): written in the transaction that unreferences
 * them, deleted from the store right after its commit, and retried by a job while the store
 * refuses. Only keys and the last error's class: no personal data.
 */
export const blobDeletions = pgTable(
  'blob_deletions',
  {
    key: text('key').primaryKey(),
    /** Failed attempts so far (a job's claim counts as one until it succeeds). */
    attempts: integer('attempts').notNull().default(0),
    /** When the job may try it (again): a grace after the purge for its own try, then the backoff. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The last failure's class (an error code or name), never its message. */
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [index('blob_deletions_due_idx').on(t.nextAttemptAt)],
)

export type SubmissionRow = typeof submissions.$inferSelect
export type ItemRow = typeof submissionItems.$inferSelect
export type AssetRow = typeof assets.$inferSelect
export type ShareLinkRow = typeof shareLinks.$inferSelect
export type SigningKeyRow = typeof signingKeys.$inferSelect
export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect
