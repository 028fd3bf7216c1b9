import type { AssetRow, SubmissionRow } from '../../db/schema.js'
import type { AssetType, CredentialTypeDefinition } from '../credential-types/index.js'

/** A document as the partner declared it, before anything is stored. */
export interface AssetDraft {
  partnerAssetId: string
  assetType: AssetType
  /** `upload`: bytes come later through a signed link; `url`: fetched by Credport; `inline`: in the request. */
  source: AssetRow['source']
  sourceUrl?: string
  inlineBytes?: Buffer
}

export interface ItemDraft {
  partnerItemId: string
  def: CredentialTypeDefinition
  /** The fields in canonical form (the type's `normalize`). */
  fields: Record<string, unknown>
  partnerChain: Array<{ name: string }> | null
  assets: AssetDraft[]
}

/** How the partner sent it: v1 or v2, one credential or a batch. */
export type SubmissionEnvelope = SubmissionRow['envelope']

/** A validated submission, ready to be stored (spec §3, §5). */
export interface SubmissionDraft {
  partnerRef: string
  envelope: SubmissionEnvelope
  redirectPath: string
  /** v1 single adds: echoed as `documentType` in the redirect link. */
  documentType: string | null
  items: ItemDraft[]
}
