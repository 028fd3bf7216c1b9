import { pointerJoin, type BodyRules, type SchemaChecker, type ValidationIssue } from '../../lib/issues.js'
import { isRecord, type Unchecked } from '../credential-types/index.js'
import {
  credentialRuleIssues,
  credentialTypes,
  getCredentialType,
  validateCredentialFields,
} from '../credential-types/index.js'
import type { CredentialTypeDefinition, Envelope } from '../credential-types/index.js'
import { documentUrlIssue, v1DocumentIssue } from './documents.js'

/**
 * The rules of the intake bodies that their schemas (intake.schemas.ts) cannot express, run after
 * the schema by the route's validator: the credential type of a v1 path, documents per type,
 * unique ids, the empty batch, and each type's cross-field rules. A body may have failed its
 * schema: every rule checks the types it reads, so that all problems are reported at once.
 * Batch scopes and size limits are read before any of it (`preValidation`, in the submissions
 * module). The client SDK runs the same rules.
 */

/** Adds `more` to `issues` (a loop, not push(...): a body may have more issues than a call takes arguments). */
function append(issues: ValidationIssue[], more: readonly ValidationIssue[]): void {
  for (const issue of more) issues.push(issue)
}

/** A duplicate id within one submission is an error at its second occurrence. */
function uniqueIssue(seen: Map<string, string>, id: unknown, pointer: string, what: string): ValidationIssue[] {
  if (typeof id !== 'string') return []
  const first = seen.get(id)
  if (first !== undefined) return [{ pointer, message: `duplicates the ${what} at ${first}` }]
  seen.set(id, pointer)
  return []
}

const oneOf = (values: readonly string[]) => `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`

/** POST /api/partner/v1/add/{type}.json (spec §3.1): the type of the path, its documents and its rules. */
export function v1SingleRules(def: CredentialTypeDefinition): BodyRules {
  const documentTypes = def.v1DocumentTypes ?? []
  return (body, reported) => {
    if (!isRecord(body)) return []
    const issues: ValidationIssue[] = []
    const data = isRecord(body.data) ? body.data : {}
    if (typeof body.credential_type === 'string' && body.credential_type !== def.name) {
      issues.push({ pointer: '/credential_type', message: `must be "${def.name}", the credential type of the path` })
    }
    const documentType = body.document_type
    if (typeof documentType === 'string') {
      const document = data.document
      if (!documentTypes.includes(documentType)) {
        issues.push({ pointer: '/document_type', message: oneOf(documentTypes) })
      } else if (document === undefined || document === null || typeof document === 'string') {
        const message = v1DocumentIssue(documentType, document)
        if (message) issues.push({ pointer: '/data/document', message })
      }
    }
    append(issues, credentialRuleIssues(def, data.credential, 'v1', '/data/credential', reported))
    return issues
  }
}

const V1_TYPE_NAMES = credentialTypes.filter((t) => t.v1DocumentTypes).map((t) => t.name)

/**
 * POST /api/partner/v1/add/batch.json (spec §5.2): v1 types, unique ids, each item's fields by its
 * type, checked by `checkSchema` (the body's schema does not know their type).
 */
export const v1BatchRules =
  (checkSchema: SchemaChecker): BodyRules =>
  (body) => {
    const credentials = isRecord(body) && Array.isArray(body.credentials) ? body.credentials : []
    const issues: ValidationIssue[] = []
    const seen = new Map<string, string>()
    credentials.forEach((credential, index) => {
      if (!isRecord(credential)) return
      const at = pointerJoin('/credentials', index)
      const type = credential.credential_type
      const def = typeof type === 'string' ? getCredentialType(type) : undefined
      if (typeof type === 'string' && !def?.v1DocumentTypes) {
        issues.push({ pointer: `${at}/credential_type`, message: oneOf(V1_TYPE_NAMES) })
      }
      append(issues, uniqueIssue(seen, credential.id, `${at}/id`, 'id'))
      const fields = isRecord(credential.data) ? credential.data.credential : undefined
      // The schema has `credential` an object of any type (reported there when it is none).
      if (def?.v1DocumentTypes && isRecord(fields)) {
        append(issues, validateCredentialFields(def, fields, 'v1-batch', `${at}/data/credential`, checkSchema))
      }
    })
    return issues
  }

/** The documents of one v2 item, against what its type accepts. */
function assetIssues(
  def: CredentialTypeDefinition,
  item: Unchecked,
  at: string,
  seenAssets: Map<string, string>,
): ValidationIssue[] {
  const list = Array.isArray(item.assets) ? item.assets : []
  if (list.length === 0) return []
  if (def.assetTypes.length === 0) {
    return [{ pointer: `${at}/assets`, message: `must be empty: ${def.name} credentials take no documents` }]
  }
  const issues: ValidationIssue[] = []
  if (def.maxAssets !== null && list.length > def.maxAssets) {
    issues.push({
      pointer: `${at}/assets`,
      message: `must contain at most ${def.maxAssets} document${def.maxAssets === 1 ? '' : 's'} for ${def.name}`,
    })
  }
  list.forEach((asset, index) => {
    if (!isRecord(asset)) return
    const assetAt = pointerJoin(`${at}/assets`, index)
    append(issues, uniqueIssue(seenAssets, asset.asset_id, `${assetAt}/asset_id`, 'asset_id'))
    const assetType = asset.asset_type
    if (typeof assetType === 'string' && !def.assetTypes.some((t) => t === assetType)) {
      issues.push({ pointer: `${assetAt}/asset_type`, message: oneOf(def.assetTypes) })
      return
    }
    if (typeof asset.asset_id !== 'string' || typeof assetType !== 'string') return
    const message = typeof asset.asset_data === 'string' ? documentUrlIssue(asset.asset_data) : null
    if (message) issues.push({ pointer: `${assetAt}/asset_data`, message })
  })
  return issues
}

/** One v2 item at `at`: its documents and its type's rules. */
function v2ItemIssues(
  def: CredentialTypeDefinition,
  item: Unchecked,
  at: string,
  envelope: Envelope,
  seenAssets: Map<string, string>,
  reported: ReadonlySet<string>,
): ValidationIssue[] {
  return [
    ...assetIssues(def, item, at, seenAssets),
    ...credentialRuleIssues(def, item.fields, envelope, `${at}/fields`, reported),
  ]
}

/** POST /api/partner/v2/add/requests/{type}(.json) (spec §3.2). */
export function v2SingleRules(def: CredentialTypeDefinition): BodyRules {
  return (body, reported) => (isRecord(body) ? v2ItemIssues(def, body, '', 'v2', new Map(), reported) : [])
}

interface V2Section {
  def: CredentialTypeDefinition
  items: unknown[]
  at: (i: number) => string
}

/** Each type's batch section: its key, kind and where its items sit (made once, not per request). */
const V2_SECTION_KINDS = credentialTypes.map((def) => {
  const { key, kind } = def.batchSection
  const pointer = `/${key}`
  const at = kind === 'single' ? () => pointer : (i: number) => pointerJoin(pointer, i)
  return { def, key, kind, at }
})

/** The batch's items by section, whatever their validity: for scopes, limits and rules. */
export function v2Sections(body: unknown): V2Section[] {
  if (!isRecord(body)) return []
  const sections: V2Section[] = []
  for (const { def, key, kind, at } of V2_SECTION_KINDS) {
    const value = body[key]
    if (value === undefined || value === null) continue
    if (kind === 'single') sections.push({ def, items: [value], at })
    else if (Array.isArray(value) && value.length > 0) sections.push({ def, items: value, at })
  }
  return sections
}

/** POST /api/partner/v2/add/requests/batch(.json) (spec §5.1): not empty, unique ids, each item's rules. */
export const v2BatchRules: BodyRules = (body, reported) => {
  if (!isRecord(body)) return []
  const sections = v2Sections(body)
  const issues: ValidationIssue[] = []
  if (sections.length === 0) {
    issues.push({ pointer: '', message: 'must contain at least one credential in one of its sections' })
  }
  const seenItems = new Map<string, string>()
  const seenAssets = new Map<string, string>()
  for (const section of sections) {
    section.items.forEach((item, index) => {
      if (!isRecord(item)) return
      const at = section.at(index)
      append(issues, uniqueIssue(seenItems, item.credential_id, `${at}/credential_id`, 'credential_id'))
      append(issues, v2ItemIssues(section.def, item, at, 'v2-batch', seenAssets, reported))
    })
  }
  return issues
}
