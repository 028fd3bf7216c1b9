import type { ValidationIssue } from '../../lib/validation.js'
import { isRecord } from '../credential-types/common.js'
import type { AssetType } from '../credential-types/types.js'
import type { AssetDraft } from './draft.js'

/** The asset type each v1 `document_type` stands for (`none`: no document). */
const V1_DOCUMENT_ASSET: Record<string, AssetType | null> = {
  pdf: 'pdf',
  png: 'png',
  jpg: 'jpg',
  open_cert: 'open_cert',
  english_assessment: 'pdf',
  none: null,
}

/** Where a document given as text comes from: a URL to fetch, or bytes in the request. */
type DocumentSource = { source: 'url'; sourceUrl: string } | { source: 'inline'; inlineBytes: Buffer }

/**
 * Reads a URL given as a document: an absolute URL is fetched later (only `https:` on an
 * allow-listed host succeeds; the fetcher reports anything else), `data:` is decoded now.
 */
export function readDocumentUrl(text: string): DocumentSource | { error: string } {
  if (/^data:/i.test(text)) {
    const bytes = decodeDataUrl(text)
    return bytes ? { source: 'inline', inlineBytes: bytes } : { error: 'is not a valid data: URL' }
  }
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { error: 'must be an absolute https URL (or a data: URL)' }
  }
  // Any other scheme is accepted too: the fetcher reports the document `rejected`
  // (`scheme_not_allowed`) without failing the submission (spec §6).
  return { source: 'url', sourceUrl: url.toString() }
}

/** Decodes `data:[<type>][;base64],<data>`; null when malformed. */
export function decodeDataUrl(text: string): Buffer | null {
  const comma = text.indexOf(',')
  if (comma === -1) return null
  const meta = text.slice(5, comma)
  const payload = text.slice(comma + 1)
  if (/;base64$/i.test(meta)) {
    const compact = payload.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return null
    return Buffer.from(compact, 'base64')
  }
  try {
    return Buffer.from(decodeURIComponent(payload), 'utf8')
  } catch {
    return null
  }
}

/**
 * The asset a v1 single add declares through `document_type` and `data.document` (spec §3.1):
 * URLs are fetched, OpenCerts JSON text is stored as sent, `none` means no document.
 */
export function v1DocumentAsset(
  documentType: string,
  document: string | null | undefined,
): { asset: AssetDraft | null; issues: ValidationIssue[] } {
  const pointer = '/data/document'
  const assetType = V1_DOCUMENT_ASSET[documentType] ?? null
  if (assetType === null) {
    if (document !== undefined && document !== null) {
      return {
        asset: null,
        issues: [{ pointer, message: `must be null or absent when document_type is ${documentType}` }],
      }
    }
    return { asset: null, issues: [] }
  }
  if (document === undefined || document === null || document.trim() === '') {
    if (documentType === 'english_assessment') return { asset: null, issues: [] }
    return { asset: null, issues: [{ pointer, message: `is required when document_type is ${documentType}` }] }
  }
  const base = { partnerAssetId: 'document', assetType }
  if (assetType === 'open_cert') {
    if (!isJsonObjectText(document))
      return { asset: null, issues: [{ pointer, message: 'must be the OpenCerts document as JSON text' }] }
    return { asset: { ...base, source: 'inline', inlineBytes: Buffer.from(document, 'utf8') }, issues: [] }
  }
  const read = readDocumentUrl(document)
  if ('error' in read) return { asset: null, issues: [{ pointer, message: read.error }] }
  return { asset: { ...base, ...read }, issues: [] }
}

function isJsonObjectText(text: string): boolean {
  try {
    return isRecord(JSON.parse(text))
  } catch {
    return false
  }
}
