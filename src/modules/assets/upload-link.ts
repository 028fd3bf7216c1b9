import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'
import { Type, type Static } from 'typebox'
import type { AssetType } from '../credential-types/index.js'
import type { Clock } from '../../lib/clock.js'
import { safeEqual } from '../../lib/crypto.js'
import type { BlobStore } from '../../storage/blob-store.js'

/**
 * Where a direct upload (S3) of an asset lands, until the completion job has checked it and copied
 * it to the asset's immutable key.
 */
export function awaitedUploadKey(assetId: string): string {
  return `uploads/${assetId}`
}

/** The `Content-Type` an upload of each asset type must carry (spec §6). */
export const CONTENT_TYPES: Record<AssetType, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  open_cert: 'application/json',
}

/** One entry of `asset_uploads` (spec §5.1); members beyond asset_id and url are Credport's additions. */
export const AssetUploadSchema = Type.Object({
  asset_id: Type.String({ description: 'Your asset_id.' }),
  url: Type.String({ description: 'PUT the raw bytes of the document here (no bearer token; the link is signed).' }),
  content_type: Type.String({ description: 'The Content-Type the upload must carry.' }),
  max_bytes: Type.Integer({ description: 'Largest accepted document.' }),
  expires_at: Type.String({
    format: 'date-time',
    description: 'When the link stops working (send the submission again for fresh links).',
  }),
})
export type UploadLink = Static<typeof AssetUploadSchema>

// Not required here: a link missing a part is answered 403 (the link is the authorization), not 400.
export const UploadQuerySchema = Type.Object({
  type: Type.Optional(
    Type.String({ description: 'Declared asset type the link is bound to (`pdf`, `png`, `jpg`, `open_cert`).' }),
  ),
  max: Type.Optional(Type.String({ description: 'Largest accepted size in bytes.' })),
  expires: Type.Optional(Type.String({ description: 'Unix time (seconds) after which the link is refused.' })),
  sig: Type.Optional(Type.String({ description: 'Signature over the asset id, type, size limit and expiry.' })),
})
/** The query of an upload link, as the PUT receives it. */
export type UploadQuery = Static<typeof UploadQuerySchema>

export type UploadLinkCheck = { ok: true; maxBytes: number } | { ok: false; reason: 'expired' | 'invalid' }

/**
 * Signs upload links: HMAC-SHA256 over the asset, its declared type, the size limit and the
 * expiry, so a link authorises exactly one asset's bytes of one type, up to one size, for a while.
 */
export class UploadLinkSigner {
  private readonly key: KeyObject

  constructor(
    private readonly options: {
      secret: string
      clock: Clock
      publicUrl: string
      ttlSeconds: number
      maxBytes: number
      /** A store that takes uploads directly (S3): links are its presigned PUT URLs. */
      direct?: Pick<Required<BlobStore>, 'presignPut'>
    },
  ) {
    this.key = createSecretKey(Buffer.from(options.secret, 'utf8'))
  }

  /**
   * A fresh link for an asset (Credport's asset id, not the partner's): Credport's own upload
   * route, or with a direct store a presigned PUT to the asset's awaited key, signing its
   * Content-Type, so that no byte passes through Credport.
   */
  async issue(asset: { id: string; partnerAssetId: string; assetType: AssetType }): Promise<UploadLink> {
    const now = this.options.clock.now()
    const expires = Math.floor(now.getTime() / 1000) + this.options.ttlSeconds
    const maxBytes = this.options.maxBytes
    if (this.options.direct) {
      return {
        asset_id: asset.partnerAssetId,
        url: await this.options.direct.presignPut(awaitedUploadKey(asset.id), {
          contentType: CONTENT_TYPES[asset.assetType],
          expiresInSeconds: this.options.ttlSeconds,
          now: new Date(Math.floor(now.getTime() / 1000) * 1000),
        }),
        content_type: CONTENT_TYPES[asset.assetType],
        max_bytes: maxBytes,
        expires_at: new Date(expires * 1000).toISOString(),
      }
    }
    const sig = this.sign(asset.id, asset.assetType, maxBytes, expires)
    // Every part is URL-safe as it is: an asset type name, two integers and base64url.
    return {
      asset_id: asset.partnerAssetId,
      url: `${this.options.publicUrl}/api/partner/v2/uploads/${asset.id}?type=${asset.assetType}&max=${maxBytes}&expires=${expires}&sig=${sig}`,
      content_type: CONTENT_TYPES[asset.assetType],
      max_bytes: maxBytes,
      expires_at: new Date(expires * 1000).toISOString(),
    }
  }

  /** Checks a link's query against the asset it names. */
  verify(assetId: string, query: UploadQuery): UploadLinkCheck {
    const { type, max, expires, sig } = query
    if (!type || !max || !expires || !sig || !/^\d{1,12}$/.test(max) || !/^\d{1,12}$/.test(expires))
      return { ok: false, reason: 'invalid' }
    if (!safeEqual(sig, this.sign(assetId, type, Number(max), Number(expires)))) return { ok: false, reason: 'invalid' }
    if (Number(expires) * 1000 <= this.options.clock.now().getTime()) return { ok: false, reason: 'expired' }
    return { ok: true, maxBytes: Number(max) }
  }

  private sign(assetId: string, type: string, maxBytes: number, expires: number): string {
    return createHmac('sha256', this.key).update(`${assetId}\n${type}\n${maxBytes}\n${expires}`).digest('base64url')
  }
}
