import { SignJWT } from 'jose'
import type { Db } from '../../db/client.js'
import type { ShareContent, SharedCredential, SharedDocument } from './share-content.js'
import { currentSigningKey } from './signing-keys.js'

/** The media type of the JSON form: a compact JWS (RFC 7515 §9.2.1). */
export const JWS_MEDIA_TYPE = 'application/jose'
/** The JWS `typ`: its payload is a JWT claims set with Credport's share claims. */
export const SHARE_JWT_TYPE = 'credport-share+jwt'

const iso = (date: Date | null) => (date ? date.toISOString() : null)
const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

function documentClaims(document: SharedDocument, shareUrl: string) {
  return {
    asset_id: document.assetId,
    type: document.assetType,
    state: document.state,
    reject_reason: document.rejectReason,
    opencerts: document.assetType === 'open_cert' ? document.verification : null,
    bytes: document.bytes,
    sha256: document.sha256,
    url: document.available ? `${shareUrl}/documents/${document.assetId}` : null,
  }
}

function credentialClaims(credential: SharedCredential, shareUrl: string) {
  if (credential.status === 'removed') {
    return { id: credential.id, status: 'removed' as const, removed_at: iso(credential.removedAt) }
  }
  return {
    id: credential.id,
    status: credential.status,
    credential_type: credential.credentialType,
    title: credential.displayTitle,
    issuer: credential.issuerName,
    issued: credential.issued,
    submitted_by: { partner: credential.partnerName, partner_chain: credential.partnerChain.map((p) => p.name) },
    submitted_at: iso(credential.submittedAt),
    accepted_at: iso(credential.acceptedAt),
    revoked_at: iso(credential.revokedAt),
    revoke_reason: credential.revokeReason,
    fields: credential.fields,
    documents: credential.documents.map((d) => documentClaims(d, shareUrl)),
  }
}

/** The claims of a share link's JSON form: the same content as its page. */
export function shareClaims(content: ShareContent, shareUrl: string) {
  return {
    share_url: shareUrl,
    holder_names: content.holderNames,
    documents_included: content.includeDocuments,
    credentials: content.credentials.map((c) => credentialClaims(c, shareUrl)),
  }
}

/**
 * The share link's content as a compact JWS (EdDSA, Ed25519) under the instance's current key:
 * `iss` is the instance's public address, `iat` now, `exp` the link's expiry; `kid` names the
 * key in `/.well-known/jwks.json`.
 */
export async function signShareContent(
  deps: { db: Db; config: { publicUrl: string }; clock: { now(): Date } },
  content: ShareContent,
  shareUrl: string,
): Promise<string> {
  const now = deps.clock.now()
  const { kid, key } = await currentSigningKey(deps.db, now)
  return new SignJWT(shareClaims(content, shareUrl))
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: SHARE_JWT_TYPE })
    .setIssuer(deps.config.publicUrl)
    .setIssuedAt(seconds(now))
    .setExpirationTime(seconds(content.expiresAt))
    .sign(key)
}
