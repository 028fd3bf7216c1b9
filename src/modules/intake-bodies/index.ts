/**
 * The intake-bodies module's public surface: the request bodies of the intake endpoints (spec §3,
 * §5) — their TypeBox schemas and the rules run after them — and the document checks the rules
 * use. Pure (TypeBox and the credential types, no Node-only import): the submissions module
 * validates requests with it and the client SDK (src/client/) checks payloads locally with it.
 */
export { dataUrlPayload, documentUrlIssue, isAbsent, V1_DOCUMENT_ASSET, v1DocumentIssue } from './documents.js'
export { v1BatchRules, v1SingleRules, v2BatchRules, v2Sections, v2SingleRules } from './intake-rules.js'
export {
  V1BatchSchema,
  v1SingleSchema,
  V2AssetSchema,
  V2BatchSchema,
  v2BatchSchema,
  v2ItemSchema,
  type V1Batch,
  type V1Single,
  type V2Asset,
  type V2Batch,
  type V2Item,
} from './intake.schemas.js'
