/**
 * The sharing module's public surface: share links (made, listed and revoked by their holder,
 * opened by anyone with the token), their signed JSON form and the key set that verifies it, and
 * the QR code of a link. The pages (holder and verifier) are the holder module's.
 */
export {
  createShareLink,
  findShareLink,
  findSharedDocument,
  isShareExpiry,
  listShareLinks,
  MAX_LABEL_LENGTH,
  openShareLink,
  proposeShareToken,
  revokeShareLink,
  SHARE_EXPIRIES,
  shareLinkStatus,
  type CreatedShareLink,
  type NewShareLink,
  type ShareExpiry,
  type ShareLinkProblem,
  type ShareLinkStatus,
  type ShareLinkSummary,
} from './share-links.js'
export type { ShareContent, SharedCredential, SharedDocument, SharedStatus } from './share-content.js'
export { JWS_MEDIA_TYPE, SHARE_JWT_TYPE, shareClaims, signShareContent } from './share-jws.js'
export { DEFAULT_OVERLAP_DAYS, publishedKeys, rotateSigningKey } from './signing-keys.js'
export { jwksRoutes } from './jwks.routes.js'
export { qrSvg } from './qr.js'
export { SHARE_OPENS_PER_MINUTE, shareRateLimiter } from './rate-limit.js'
