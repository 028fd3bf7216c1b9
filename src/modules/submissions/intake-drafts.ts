import { isRecord } from '../credential-types/index.js'
import { credentialTypes, getCredentialType } from '../credential-types/index.js'
import type { AssetType, CredentialTypeDefinition } from '../credential-types/index.js'
import { documentSource, v1DocumentAsset } from './documents.js'
import type { AssetDraft, ItemDraft, SubmissionDraft } from './draft.js'
import type { V1Batch, V1Single, V2Asset, V2Batch, V2Item } from '../intake-bodies/index.js'

/**
 * Validated intake bodies (their schema and rules passed) as submission drafts: what is stored,
 * in canonical form. Nothing here checks anything again.
 */

type Fields = Record<string, unknown>
type PartnerChain = Array<{ name: string }> | null

/** `partner_chain` beside the credential wins; inside the fields (or English test scores) is accepted too. */
function partnerChainOf(beside: PartnerChain | undefined, fields: Fields): PartnerChain {
  const scores = fields.test_scores
  for (const candidate of [beside, fields.partner_chain, isRecord(scores) ? scores.partner_chain : undefined]) {
    // Every `partner_chain` the schemas accept is an array of { name } or null.
    if (Array.isArray(candidate)) return candidate
  }
  return null
}

function itemDraft(
  def: CredentialTypeDefinition,
  partnerItemId: string,
  fields: Fields,
  chain: PartnerChain | undefined,
  assets: AssetDraft[],
): ItemDraft {
  return { partnerItemId, def, fields: def.normalize(fields), partnerChain: partnerChainOf(chain, fields), assets }
}

function assetTypeOf(def: CredentialTypeDefinition, assetType: string): AssetType {
  const known = def.assetTypes.find((t) => t === assetType)
  if (!known) throw new Error(`asset type ${assetType} of ${def.name} was not checked`)
  return known
}

function assetDrafts(def: CredentialTypeDefinition, assets: V2Asset[] | null | undefined): AssetDraft[] {
  return (assets ?? []).map((asset) => {
    const base = { partnerAssetId: asset.asset_id, assetType: assetTypeOf(def, asset.asset_type) }
    return typeof asset.asset_data === 'string'
      ? { ...base, ...documentSource(asset.asset_data) }
      : { ...base, source: 'upload' }
  })
}

function v2ItemDraft(def: CredentialTypeDefinition, item: V2Item): ItemDraft {
  return itemDraft(def, item.credential_id, item.fields, item.partner_chain, assetDrafts(def, item.assets))
}

/** POST /api/partner/v1/add/{type}.json (spec §3.1). */
export function v1SingleDraft(def: CredentialTypeDefinition, body: V1Single): SubmissionDraft {
  const asset = v1DocumentAsset(body.document_type, body.data.document)
  return {
    partnerRef: body.id,
    envelope: 'v1',
    redirectPath: def.redirectPath,
    documentType: body.document_type,
    items: [itemDraft(def, body.id, body.data.credential, body.data.partner_chain, asset ? [asset] : [])],
  }
}

/** POST /api/partner/v1/add/batch.json (spec §5.2). */
export function v1BatchDraft(body: V1Batch): SubmissionDraft {
  const items = body.credentials.map((credential) => {
    const def = getCredentialType(credential.credential_type)
    if (!def) throw new Error(`credential type ${credential.credential_type} was not checked`)
    return itemDraft(def, credential.id, credential.data.credential, credential.data.partner_chain, [])
  })
  return { partnerRef: body.id, envelope: 'v1-batch', redirectPath: 'batch', documentType: null, items }
}

/** POST /api/partner/v2/add/requests/{type}(.json) (spec §3.2). */
export function v2SingleDraft(def: CredentialTypeDefinition, body: V2Item): SubmissionDraft {
  return {
    partnerRef: body.credential_id,
    envelope: 'v2',
    redirectPath: def.redirectPath,
    documentType: null,
    items: [v2ItemDraft(def, body)],
  }
}

/** POST /api/partner/v2/add/requests/batch(.json) (spec §5.1): the items section by section, in the order of the types. */
export function v2BatchDraft(body: V2Batch): SubmissionDraft {
  const items = credentialTypes.flatMap((def) => {
    const section = body[def.batchSection.key]
    const list = section === undefined || section === null ? [] : Array.isArray(section) ? section : [section]
    return list.map((item) => v2ItemDraft(def, item))
  })
  return { partnerRef: body.credential_id, envelope: 'v2-batch', redirectPath: 'batch', documentType: null, items }
}
