import type { AssetType, CredentialTypeDefinition } from '../credential-types/types.js'

/** A document as the partner declared it, before anything is stored. */
export interface AssetDraft {
  partnerAssetId: string
  assetType: AssetType
  /** `upload`: bytes come later through a signed link; `url`: fetched by Credport; `inline`: in the request. */
  source: 'upload' | 'url' | 'inline'
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

export type SubmissionEnvelope = 'v1' | 'v1-batch' | 'v2' | 'v2-batch'

/** A validated submission, ready to be stored (spec §3, §5). */
export interface SubmissionDraft {
  partnerRef: string
  envelope: SubmissionEnvelope
  redirectPath: string
  /** v1 single adds: echoed as `documentType` in the redirect link. */
  documentType: string | null
  items: ItemDraft[]
}
