import { dataUrlPayload, isAbsent, V1_DOCUMENT_ASSET } from '../intake-bodies/index.js'
import type { AssetDraft } from './draft.js'

/** Where a document given as text comes from: a URL to fetch, or bytes in the request. */
type DocumentSource = { source: 'url'; sourceUrl: string } | { source: 'inline'; inlineBytes: Buffer }

/** Where a document given as a URL (one `documentUrlIssue` accepts) comes from: fetched later, or decoded now. */
export function documentSource(text: string): DocumentSource {
  if (!/^data:/i.test(text)) return { source: 'url', sourceUrl: new URL(text).toString() }
  const bytes = decodeDataUrl(text)
  if (!bytes) throw new Error('a data: URL was not checked before it was read')
  return { source: 'inline', inlineBytes: bytes }
}

/** Decodes `data:[<type>][;base64],<data>`; null when malformed. */
export function decodeDataUrl(text: string): Buffer | null {
  const payload = dataUrlPayload(text)
  if (!payload) return null
  return 'base64' in payload ? Buffer.from(payload.base64, 'base64') : Buffer.from(payload.text, 'utf8')
}

/**
 * The asset a v1 single add declares through `document_type` and `data.document` (checked by
 * `v1DocumentIssue`): URLs are fetched, OpenCerts JSON text is stored as sent, `none` means no document.
 */
export function v1DocumentAsset(documentType: string, document: string | null | undefined): AssetDraft | null {
  const assetType = V1_DOCUMENT_ASSET[documentType] ?? null
  if (assetType === null || isAbsent(document)) return null
  const base = { partnerAssetId: 'document', assetType }
  if (assetType === 'open_cert') return { ...base, source: 'inline', inlineBytes: Buffer.from(document, 'utf8') }
  return { ...base, ...documentSource(document) }
}
