/**
 * The values of the schema's enum columns, free of drizzle: the wire schemas (and through them the
 * SDK, which runs without Node) share them with the tables.
 */

export const ASSET_STATES = [
  'awaiting_upload',
  'awaiting_fetch',
  'received',
  'verified',
  'rejected',
  'missing',
] as const
export type AssetState = (typeof ASSET_STATES)[number]

export const WEBHOOK_EVENT_TYPES = [
  'submission.opened',
  'submission.verified',
  'submission.canceled',
  'submission.expired',
  'submission.withdrawn',
  'credential.revoked',
  'asset.received',
  'asset.rejected',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number]

/**
 * A credential's status in the status API's per-item detail: `incomplete` while its submission
 * waits for the holder, `accepted` or `declined` by the holder's per-item decision, `revoked` by
 * its issuer after acceptance, `canceled` when its submission expired or was withdrawn undecided.
 */
export const ITEM_STATUSES = ['incomplete', 'accepted', 'declined', 'revoked', 'canceled'] as const
export type ItemStatus = (typeof ITEM_STATUSES)[number]
