import { AppError, validationError } from '../../errors.js'
import { compileValidator, pointerJoin, type ValidationIssue } from '../../lib/validation.js'
import { isRecord, type Unchecked } from '../credential-types/common.js'
import { credentialTypes, getCredentialType, validateCredentialFields } from '../credential-types/registry.js'
import type { AssetType, CredentialTypeDefinition, Envelope } from '../credential-types/types.js'
import type { AssetDraft, ItemDraft, SubmissionDraft } from './draft.js'
import { readDocumentUrl, v1DocumentAsset } from './documents.js'
import { V1BatchSchema, V2BatchSchema, v1SingleSchema, v2ItemSchema } from './intake.schemas.js'

export interface IntakeLimits {
  maxBatchItems: number
  maxBatchAssets: number
}

const validateV1Single = compileValidator(v1SingleSchema())
const validateV1Batch = compileValidator(V1BatchSchema)
const validateV2Item = compileValidator(v2ItemSchema())
const validateV2Batch = compileValidator(V2BatchSchema)

/** Collects issues while reading a body, each once (linear however many); throws one 400 listing them. */
class IssueList {
  readonly all: ValidationIssue[] = []
  private readonly seen = new Set<string>()
  add(issues: ValidationIssue | readonly ValidationIssue[]): void {
    for (const issue of Array.isArray(issues) ? issues : [issues as ValidationIssue]) {
      const key = `${issue.pointer}\u0000${issue.message}`
      if (this.seen.has(key)) continue
      this.seen.add(key)
      this.all.push(issue)
    }
  }
  throwIfAny(): void {
    if (this.all.length > 0) throw validationError(this.all)
  }
}

/** The credential's own problems; a missing credential is the envelope's problem, reported once there. */
function fieldIssues(
  def: CredentialTypeDefinition,
  value: unknown,
  envelope: Envelope,
  prefix: string,
): ValidationIssue[] {
  return value === undefined ? [] : validateCredentialFields(def, value, envelope, prefix)
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** `partner_chain` beside the credential wins; inside the fields (or English test scores) is accepted too. */
function pickPartnerChain(...candidates: unknown[]): Array<{ name: string }> | null {
  for (const candidate of candidates) if (Array.isArray(candidate)) return candidate as Array<{ name: string }>
  return null
}

function fieldsChain(fields: Unchecked): unknown[] {
  return [fields.partner_chain, isRecord(fields.test_scores) ? fields.test_scores.partner_chain : undefined]
}

function itemDraft(
  def: CredentialTypeDefinition,
  partnerItemId: string,
  fields: Unchecked,
  chain: unknown,
  assets: AssetDraft[],
): ItemDraft {
  return {
    partnerItemId,
    def,
    fields: def.normalize(fields as never) as Record<string, unknown>,
    partnerChain: pickPartnerChain(chain, ...fieldsChain(fields)),
    assets,
  }
}

/** POST /api/partner/v1/add/{type}.json (spec §3.1). */
export function parseV1Single(def: CredentialTypeDefinition, body: unknown): SubmissionDraft {
  const issues = new IssueList()
  issues.add(validateV1Single(body))
  if (!isRecord(body)) issues.throwIfAny()
  const envelope = body as Unchecked
  const data = isRecord(envelope.data) ? envelope.data : {}
  if (typeof envelope.credential_type === 'string' && envelope.credential_type !== def.name) {
    issues.add({ pointer: '/credential_type', message: `must be "${def.name}", the credential type of the path` })
  }
  const documentType = str(envelope.document_type)
  let asset: AssetDraft | null = null
  if (documentType !== undefined) {
    if (!def.v1DocumentTypes!.includes(documentType)) {
      issues.add({
        pointer: '/document_type',
        message: `must be one of: ${def.v1DocumentTypes!.map((t) => JSON.stringify(t)).join(', ')}`,
      })
    } else if (data.document === undefined || data.document === null || typeof data.document === 'string') {
      const read = v1DocumentAsset(documentType, data.document)
      issues.add(read.issues)
      asset = read.asset
    }
  }
  issues.add(fieldIssues(def, data.credential, 'v1', '/data/credential'))
  issues.throwIfAny()
  return {
    partnerRef: envelope.id as string,
    envelope: 'v1',
    redirectPath: def.redirectPath,
    documentType: documentType!,
    items: [
      itemDraft(def, envelope.id as string, data.credential as Unchecked, data.partner_chain, asset ? [asset] : []),
    ],
  }
}

/** The scopes a legacy v1 batch needs: one per credential type it names. */
export function scopesForV1Batch(body: unknown): string[] {
  const credentials = isRecord(body) && Array.isArray(body.credentials) ? body.credentials : []
  const types = credentials.map((c) => (isRecord(c) ? getCredentialType(String(c.credential_type)) : undefined))
  return [...new Set(types.filter((t) => t?.v1DocumentTypes).map((t) => t!.scope))]
}

/** POST /api/partner/v1/add/batch.json (spec §5.2). */
export function parseV1Batch(body: unknown, limits: IntakeLimits): SubmissionDraft {
  const credentials = isRecord(body) && Array.isArray(body.credentials) ? body.credentials : []
  if (credentials.length > limits.maxBatchItems)
    throw batchLimit('credentials', limits.maxBatchItems, credentials.length)
  const issues = new IssueList()
  issues.add(validateV1Batch(body))
  if (!isRecord(body)) issues.throwIfAny()
  const items: ItemDraft[] = []
  const seen = new Map<string, string>()
  credentials.forEach((credential, index) => {
    if (!isRecord(credential)) return
    const at = pointerJoin('/credentials', index)
    const type = str(credential.credential_type)
    const def = type === undefined ? undefined : getCredentialType(type)
    if (type !== undefined && !def?.v1DocumentTypes) {
      issues.add({
        pointer: `${at}/credential_type`,
        message: `must be one of: ${credentialTypes
          .filter((t) => t.v1DocumentTypes)
          .map((t) => JSON.stringify(t.name))
          .join(', ')}`,
      })
    }
    checkUnique(issues, seen, credential.id, `${at}/id`, 'id')
    const data = isRecord(credential.data) ? credential.data : {}
    if (!def?.v1DocumentTypes) return
    issues.add(fieldIssues(def, data.credential, 'v1-batch', `${at}/data/credential`))
    if (isRecord(data.credential) && issues.all.length === 0)
      items.push(itemDraft(def, credential.id as string, data.credential, data.partner_chain, []))
  })
  issues.throwIfAny()
  return {
    partnerRef: (body as Unchecked).id as string,
    envelope: 'v1-batch',
    redirectPath: 'batch',
    documentType: null,
    items,
  }
}

/** A duplicate id within one submission is an error at its second occurrence. */
function checkUnique(issues: IssueList, seen: Map<string, string>, id: unknown, pointer: string, what: string): void {
  if (typeof id !== 'string') return
  const first = seen.get(id)
  if (first !== undefined) issues.add({ pointer, message: `duplicates the ${what} at ${first}` })
  else seen.set(id, pointer)
}

/** The documents of one v2 item, checked against what its type accepts. */
function v2Assets(
  def: CredentialTypeDefinition,
  item: Unchecked,
  at: string,
  issues: IssueList,
  seenAssets: Map<string, string>,
): AssetDraft[] {
  const list = Array.isArray(item.assets) ? item.assets : []
  if (list.length === 0) return []
  if (def.assetTypes.length === 0) {
    issues.add({ pointer: `${at}/assets`, message: `must be empty: ${def.name} credentials take no documents` })
    return []
  }
  if (def.maxAssets !== null && list.length > def.maxAssets) {
    issues.add({
      pointer: `${at}/assets`,
      message: `must contain at most ${def.maxAssets} document${def.maxAssets === 1 ? '' : 's'} for ${def.name}`,
    })
  }
  const drafts: AssetDraft[] = []
  for (const [index, asset] of list.entries()) {
    if (!isRecord(asset)) continue
    const assetAt = pointerJoin(`${at}/assets`, index)
    checkUnique(issues, seenAssets, asset.asset_id, `${assetAt}/asset_id`, 'asset_id')
    const assetType = str(asset.asset_type)
    if (assetType !== undefined && !def.assetTypes.includes(assetType as AssetType)) {
      issues.add({
        pointer: `${assetAt}/asset_type`,
        message: `must be one of: ${def.assetTypes.map((t) => JSON.stringify(t)).join(', ')}`,
      })
      continue
    }
    if (typeof asset.asset_id !== 'string' || assetType === undefined) continue
    const base = { partnerAssetId: asset.asset_id, assetType: assetType as AssetType }
    if (typeof asset.asset_data !== 'string') {
      drafts.push({ ...base, source: 'upload' })
      continue
    }
    const read = readDocumentUrl(asset.asset_data)
    if ('error' in read) issues.add({ pointer: `${assetAt}/asset_data`, message: read.error })
    else drafts.push({ ...base, ...read })
  }
  return drafts
}

/** Reads one v2 item at `at` (already schema-checked as part of its envelope). */
function v2Item(
  def: CredentialTypeDefinition,
  item: unknown,
  at: string,
  envelope: Envelope,
  issues: IssueList,
  seenAssets: Map<string, string>,
): ItemDraft | null {
  if (!isRecord(item)) return null
  const assets = v2Assets(def, item, at, issues, seenAssets)
  issues.add(fieldIssues(def, item.fields, envelope, `${at}/fields`))
  // Drafts (and the type's normalize) only for values that passed every check so far.
  if (typeof item.credential_id !== 'string' || !isRecord(item.fields) || issues.all.length > 0) return null
  return itemDraft(def, item.credential_id, item.fields, item.partner_chain, assets)
}

/** POST /api/partner/v2/add/requests/{type}(.json) (spec §3.2). */
export function parseV2Single(def: CredentialTypeDefinition, body: unknown): SubmissionDraft {
  const issues = new IssueList()
  issues.add(validateV2Item(body))
  const item = v2Item(def, body, '', 'v2', issues, new Map())
  issues.throwIfAny()
  return {
    partnerRef: item!.partnerItemId,
    envelope: 'v2',
    redirectPath: def.redirectPath,
    documentType: null,
    items: [item!],
  }
}

/** The batch's items by section, whatever their validity: for scopes and limits before validation. */
function v2Sections(
  body: unknown,
): Array<{ def: CredentialTypeDefinition; items: unknown[]; at: (i: number) => string }> {
  if (!isRecord(body)) return []
  return credentialTypes.flatMap((def) => {
    const { key, kind } = def.batchSection
    const value = body[key]
    if (value === undefined || value === null) return []
    if (kind === 'single') return [{ def, items: [value], at: () => `/${key}` }]
    return Array.isArray(value) && value.length > 0
      ? [{ def, items: value, at: (i: number) => pointerJoin(`/${key}`, i) }]
      : []
  })
}

/** The scopes a v2 batch needs: one per non-empty section. */
export function scopesForV2Batch(body: unknown): string[] {
  return [...new Set(v2Sections(body).map((s) => s.def.scope))]
}

/** POST /api/partner/v2/add/requests/batch(.json) (spec §5.1): all sections, limits, unique ids. */
export function parseV2Batch(body: unknown, limits: IntakeLimits): SubmissionDraft {
  const sections = v2Sections(body)
  const itemCount = sections.reduce((n, s) => n + s.items.length, 0)
  if (itemCount > limits.maxBatchItems) throw batchLimit('credentials', limits.maxBatchItems, itemCount)
  const assetCount = sections
    .flatMap((s) => s.items)
    .reduce<number>((n, item) => n + (isRecord(item) && Array.isArray(item.assets) ? item.assets.length : 0), 0)
  if (assetCount > limits.maxBatchAssets) throw batchLimit('assets', limits.maxBatchAssets, assetCount)

  const issues = new IssueList()
  issues.add(validateV2Batch(body))
  if (!isRecord(body)) issues.throwIfAny()
  if (itemCount === 0)
    issues.add({ pointer: '', message: 'must contain at least one credential in one of its sections' })
  const seenItems = new Map<string, string>()
  const seenAssets = new Map<string, string>()
  const items: ItemDraft[] = []
  for (const section of sections) {
    section.items.forEach((raw, index) => {
      const at = section.at(index)
      if (isRecord(raw)) checkUnique(issues, seenItems, raw.credential_id, `${at}/credential_id`, 'credential_id')
      const item = v2Item(section.def, raw, at, 'v2-batch', issues, seenAssets)
      if (item) items.push(item)
    })
  }
  issues.throwIfAny()
  return {
    partnerRef: (body as Unchecked).credential_id as string,
    envelope: 'v2-batch',
    redirectPath: 'batch',
    documentType: null,
    items,
  }
}

function batchLimit(what: 'credentials' | 'assets', limit: number, actual: number): AppError {
  return new AppError('batch_too_large', `A batch may hold at most ${limit} ${what}; this one has ${actual}`, {
    limit,
    actual,
    counted: what,
  })
}
