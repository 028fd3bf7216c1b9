import { isRecord } from '../credential-types/index.js'
import type { AssetType } from '../credential-types/index.js'

/** Documents in intake bodies, as the rules check them (no Node-only code: the client SDK runs it too). */

/** The asset type each v1 `document_type` stands for (`none`: no document). */
export const V1_DOCUMENT_ASSET: Record<string, AssetType | null> = {
  pdf: 'pdf',
  png: 'png',
  jpg: 'jpg',
  open_cert: 'open_cert',
  english_assessment: 'pdf',
  none: null,
}

/**
 * Why a URL given as a document cannot be read, or null when it can: an absolute URL is fetched
 * later (only `https:` on an allow-listed host succeeds; the fetcher reports anything else, as
 * the document `rejected` with `scheme_not_allowed`, without failing the submission: spec §6),
 * `data:` must decode.
 */
export function documentUrlIssue(text: string): string | null {
  if (/^data:/i.test(text)) return dataUrlPayload(text) ? null : 'is not a valid data: URL'
  return URL.canParse(text) ? null : 'must be an absolute https URL (or a data: URL)'
}

/** The payload of `data:[<type>][;base64],<data>`: base64 without white space, or the percent-decoded text; null when malformed. */
export function dataUrlPayload(text: string): { base64: string } | { text: string } | null {
  const comma = text.indexOf(',')
  if (comma === -1) return null
  const meta = text.slice(5, comma)
  const payload = text.slice(comma + 1)
  if (/;base64$/i.test(meta)) {
    const compact = payload.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return null
    return { base64: compact }
  }
  try {
    return { text: decodeURIComponent(payload) }
  } catch {
    return null
  }
}

export const isAbsent = (document: string | null | undefined): document is null | undefined =>
  document === undefined || document === null || document.trim() === ''

/** The problem of a v1 single add's `data.document` for its `document_type` (spec §3.1), or null. */
export function v1DocumentIssue(documentType: string, document: string | null | undefined): string | null {
  const assetType = V1_DOCUMENT_ASSET[documentType] ?? null
  if (assetType === null) {
    return document === undefined || document === null
      ? null
      : `must be null or absent when document_type is ${documentType}`
  }
  if (isAbsent(document)) {
    return documentType === 'english_assessment' ? null : `is required when document_type is ${documentType}`
  }
  if (assetType === 'open_cert')
    return isJsonObjectText(document) ? null : 'must be the OpenCerts document as JSON text'
  return documentUrlIssue(document)
}

function isJsonObjectText(text: string): boolean {
  try {
    return isRecord(JSON.parse(text))
  } catch {
    return false
  }
}
